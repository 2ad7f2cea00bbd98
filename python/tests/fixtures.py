"""Fixture articles of our own, generated deterministically.

A handful of paragraphs written for these tests (titles, datelines, topic
paragraphs, neutral paragraphs, boilerplate lines, sign-offs), in plain
Indonesian with the non-ASCII that scraped news carries (curly quotes,
dashes, no-break spaces, accented names, emoji), combined into as many
articles as a test needs. No text here comes from any other source.
"""

from __future__ import annotations

import json

TITLES = [
    "Wali Kota Ingatkan ASN Jaga Netralitas Jelang Pilkada",
    "Bawaslu Terima Laporan Dugaan Politik Uang di Desa Sukamaju",
    "Camat Ikut Kampanye, Panwaslu Panggil untuk Klarifikasi",
    "Ratusan Guru Ikrarkan Pakta Integritas Netralitas Pemilu",
    "Pejabat yang Maju Pilkada Wajib Ajukan Cuti di Luar Tanggungan",
    "Harga Beras di Pasar Induk Kembali Naik",
]

DATELINES = [
    "KOTA BARU, KABARKITA.ID – ",
    "Sukamaju (Warta Desa) — ",
    "MEKARSARI – ",
    "",
]

TOPIC_PARAGRAPHS = [
    # Neutrality warning, curly quotes.
    "Wali Kota meminta seluruh aparatur sipil negara (ASN) menjaga netralitas selama tahapan "
    "Pilkada 2024. “ASN jangan berpihak kepada pasangan calon mana pun,” ujarnya di aula balai kota.",
    # Sanction threat.
    "Pegawai yang terbukti melanggar akan dijatuhi sanksi disiplin, mulai dari teguran tertulis "
    "sampai penurunan pangkat, sesuai aturan kepegawaian yang berlaku.",
    # Violation report, money politics.
    "Bawaslu kabupaten menerima laporan warga tentang pembagian amplop berisi uang Rp50.000 "
    "dan paket sembako kepada pemilih menjelang hari pencoblosan di TPS 07.",
    # Passive campaign attendance.
    "Seorang camat kedapatan hadir dalam kampanye salah satu calon bupati dan ikut mengenakan "
    "atribut partai. Panwaslu memanggilnya untuk dimintai klarifikasi.",
    # Neutrality pledge, no-break spaces and an accented name.
    "Sebanyak 350\u00a0guru menandatangani pakta integritas netralitas ASN yang dipimpin "
    "Kepala Dinas Pendidikan, Andréa Siregar, di halaman kantor dinas pada Pemilu 2024.",
    # Social media conduct, emoji.
    "ASN juga diminta tidak mengunggah, menyukai atau membagikan konten kampanye di media "
    "sosial 📱, karena jejak digital bisa menjadi bukti pelanggaran netralitas.",
    # Campaign leave.
    "Kepala daerah yang ikut berkampanye wajib mengambil cuti di luar tanggungan negara dan "
    "dilarang memakai fasilitas jabatan selama masa kampanye pilkada.",
]

NEUTRAL_PARAGRAPHS = [
    "Harga beras medium di pasar induk naik menjadi Rp13.500 per kilogram, sementara "
    "pedagang mengeluhkan pasokan yang berkurang sejak awal bulan.",
    "Cuaca cerah berawan diperkirakan terjadi sepanjang pekan — suhu udara berkisar "
    "24–31 °C dengan kelembapan tinggi pada sore hari.",
    "Warga menggelar kerja bakti membersihkan saluran air agar banjir tidak lagi merendam "
    "permukiman saat musim hujan tiba. 🌧️",
]

BOILERPLATE = [
    "BACA JUGA: Dinas Kesehatan Gelar Vaksinasi Gratis di Puskesmas",
    "Penulis: Dewi Lestari\nEditor: Bagus Prakoso",
    "Tags: Pilkada 2024 ASN Netralitas",
    "FOTO: Suasana apel pagi di halaman balai kota, Senin (2/9/2024). (Humas)",
]

SIGN_OFFS = [" (ant)", " [rin]", "", ""]


def article_text(i: int) -> str:
    """The text of fixture article `i`: a title, paragraphs, boilerplate."""
    title = TITLES[i % len(TITLES)]
    topical = i % len(TITLES) != len(TITLES) - 1
    pool = TOPIC_PARAGRAPHS if topical else NEUTRAL_PARAGRAPHS
    count = 2 + i % 3
    body = [pool[(i * 3 + j * 5) % len(pool)] for j in range(count)]
    if topical and i % 4 == 0:
        body.append(NEUTRAL_PARAGRAPHS[i % len(NEUTRAL_PARAGRAPHS)])
    body[0] = DATELINES[i % len(DATELINES)] + body[0]
    body[-1] += SIGN_OFFS[(i // 2) % len(SIGN_OFFS)]
    boilerplate = BOILERPLATE[i % len(BOILERPLATE)]
    body.insert(1 + i % len(body), boilerplate)
    separator = "\r\n\r\n" if i % 7 == 3 else "\n\n"
    return separator.join([title, *body])


def articles(n: int) -> list[dict]:
    """`n` records `{"id", "text"}`; ids are strings, every fifth a number."""
    return [
        {"id": i if i % 5 == 0 else f"fx-{i:04d}", "text": article_text(i)}
        for i in range(n)
    ]


def jsonl(records: list[dict]) -> str:
    """Records as JSON Lines, non-ASCII written as is."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)

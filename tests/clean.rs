//! Stage 1 as a specification: tables of (input text, expected result).
//! Every text here is made up for the test.

use warta::clean::{BoilerplateKind, CutReason, clean, split_paragraphs};

/// The kind id of each paragraph, `"-"` for content.
fn kinds(text: &str) -> Vec<&'static str> {
    clean(text)
        .paragraphs
        .iter()
        .map(|p| p.boilerplate.map_or("-", |k| k.id()))
        .collect()
}

#[test]
fn paragraphs_are_trimmed_non_blank_lines() {
    let cases: &[(&str, &[&str])] = &[
        ("satu\ndua", &["satu", "dua"]),
        ("satu\r\ndua\rtiga", &["satu", "dua", "tiga"]),
        ("  satu  \n\n\t\n dua ", &["satu", "dua"]),
        ("satu\n\u{a0}\n\u{200b}\u{feff}\ndua", &["satu", "dua"]),
        ("\u{2060} satu \u{200d}\n", &["satu"]),
        ("", &[]),
        ("\n\r\n \u{a0}", &[]),
        (
            "kata\u{a0}dalam\u{a0}baris",
            &["kata\u{a0}dalam\u{a0}baris"],
        ),
    ];
    for (text, expected) in cases {
        let got: Vec<&str> = split_paragraphs(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(&got, expected, "{text:?}");
    }
}

#[test]
fn boilerplate_kinds_by_line() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Judul Berita Hari Ini\nIsi berita pertama yang panjang.\nBACA JUGA: Judul Lain di Kota Sebelah\nIsi kedua.",
            &["-", "-", "read_also", "-"],
        ),
        (
            "Isi.\nBaca juga : Judul lain\nBACA JUGAJudul Tertempel Rapat\nBaca Juga Tanpa Titik Dua",
            &["-", "read_also", "read_also", "read_also"],
        ),
        (
            "Isi.\nBACA: Warga Gelar Kerja Bakti\nLihat juga: Jadwal Pasar Murah\nSimak juga: Tips Hemat Listrik",
            &["-", "read_also", "read_also", "read_also"],
        ),
        (
            "Isi berita.\nPenulis: Budi Santoso\nEditor : Sari Dewi",
            &["-", "byline", "byline"],
        ),
        (
            "Isi berita.\nPewarta: Andi Wijaya Editor: Rina Lestari",
            &["-", "byline"],
        ),
        (
            "Isi berita.\nReporter: Joko | Editor: Maya",
            &["-", "byline"],
        ),
        (
            "Isi berita.\nPenulis Hasanudin\nRedaktur Lina Marpaung",
            &["-", "byline", "byline"],
        ),
        (
            // Any number of names, within the rule's 80 bytes; a sentence
            // that starts with the word is content.
            "Isi berita.\nEditor Ani Budi Citra Dewi Eka Fajar Gita\nEditor Ani menulis berita ini kemarin.",
            &["-", "byline", "-"],
        ),
        ("Isi berita.\nCOPYRIGHT © 2024 KORANKITA", &["-", "footer"]),
        (
            "Isi berita.\nTags: pemilu, desa, warga\nShare",
            &["-", "footer", "footer"],
        ),
        (
            "Isi berita.\nTag\nPemilihan Kepala Desa\nwarga\nBalai Desa",
            &["-", "footer", "footer", "footer", "footer"],
        ),
        ("Isi berita.\n# pemilu# desa# warga", &["-", "footer"]),
        (
            "Isi berita.\nBerita Terkini\nTerpopuler",
            &["-", "footer", "footer"],
        ),
        (
            "Isi berita.\nArtikel Terkait\nPasar Ikan Baru Diresmikan Bupati\nJalan Desa Rusak Parah Usai Hujan",
            &["-", "related_list", "related_list", "related_list"],
        ),
        (
            "Isi berita.\nBaca Berita Lainnya\nPanen Raya Cabai di Lereng Gunung",
            &["-", "related_list", "related_list"],
        ),
        (
            "Isi berita.\nTinggalkan Komentar\nAlamat email Anda tidak akan dipublikasikan.",
            &["-", "comment_prompt", "comment_prompt"],
        ),
        (
            "Isi berita.\nADVERTISEMENT\nIsi lagi.\nSCROLL TO CONTINUE WITH CONTENT",
            &["-", "promo", "-", "promo"],
        ),
        (
            "Isi berita.\nIkuti berita terbaru KoranKita di Google News, klik di sini.",
            &["-", "promo"],
        ),
        (
            "Isi berita.\nDapatkan update berita pilihan setiap hari dari KoranKita.",
            &["-", "promo"],
        ),
        (
            "Judul\n0\nIsi berita.\n12 shares",
            &["-", "widget", "-", "widget"],
        ),
        (
            "Judul Berita\nRAPAT DESA: Warga berkumpul di balai desa, Senin (1/7). (Foto: Dok. Warga)\nIsi.",
            &["-", "caption", "-"],
        ),
        (
            "Judul Berita\nPANEN, Petani memetik cabai di ladang (Foto Ist).--\nIsi.",
            &["-", "caption", "-"],
        ),
        (
            "Judul Berita\nBERSIH DESA : Warga menyapu jalan kampung.--RED/KK\nIsi.",
            &["-", "caption", "-"],
        ),
        (
            "Judul Berita\nFOTO: Suasana pasar pagi hari.\nIsi.",
            &["-", "caption", "-"],
        ),
        (
            "Judul Berita\nBANJIR DESA: Warga mengungsi ke masjid, Senin (4/3/2024).\nIsi.",
            &["-", "caption", "-"],
        ),
        (
            "Isi berita.\nShare 12\nKlik di sini untuk berlangganan.",
            &["-", "widget", "promo"],
        ),
        (
            "Isi berita.\nTulis Komentar\nBatal membalas",
            &["-", "comment_prompt", "comment_prompt"],
        ),
        ("Isi berita.\n--\n***", &["-", "widget", "widget"]),
        (
            "Isi berita.\n(Penulis: Joko)\nPenulis/Editor: Maya Sari",
            &["-", "byline", "byline"],
        ),
        (
            "Isi berita.\nSilakan tinggalkan komentar Anda",
            &["-", "comment_prompt"],
        ),
        (
            "Judul Berita\nJembatan baru di tepi kota. (ANTARA/Budi Santoso)\nIsi.",
            &["-", "caption", "-"],
        ),
        ("Isi berita.\nKata kunci: pasar, cabai", &["-", "footer"]),
    ];
    for (text, expected) in cases {
        assert_eq!(&kinds(text), expected, "{text:?}");
    }
}

#[test]
fn headlines_at_the_end_after_boilerplate_are_a_list() {
    let text = "Isi berita yang panjang.\nEditor: Sari\nPasar Ikan Baru Diresmikan Bupati Hari Ini\nJalan Desa Rusak Parah Usai Hujan Deras";
    assert_eq!(kinds(text), ["-", "byline", "related_list", "related_list"]);
    // The same lines with no boilerplate before them stay content.
    let text = "Isi berita yang panjang.\nPasar Ikan Baru Diresmikan Bupati Hari Ini\nJalan Desa Rusak Parah Usai Hujan Deras";
    assert_eq!(kinds(text), ["-", "-", "-"]);
}

#[test]
fn content_that_mentions_a_marker_word_stays_content() {
    let rows = [
        "Editor senior itu mengatakan redaksi akan memeriksa ulang beritanya.",
        "Ia membaca juga surat edaran dari bupati sebelum rapat dimulai.",
        "Penulis buku itu hadir dalam diskusi di perpustakaan daerah.",
        "Reporter televisi lokal ikut meliput kegiatan tersebut.",
        "Komentar warga di media sosial beragam, sebagian mendukung.",
        "Baca juga buku panduan itu sebelum mengisi formulir, kata petugas.",
        "Tag nama di dada petugas memudahkan warga mengenali mereka.",
        "Share pasar tradisional turun dibanding tahun lalu, ujarnya.",
        "Foto bersama calon dilarang bagi pegawai, tegasnya.",
        "Sumber dana kegiatan berasal dari anggaran desa.",
        "2024 menjadi tahun politik yang sibuk bagi penyelenggara.",
        "KAMPANYE, menurut dia, harus berlangsung damai dan tertib.",
    ];
    for row in rows {
        let text = format!("Judul Berita Desa\n{row}\nPenutup berita.");
        assert_eq!(kinds(&text), ["-", "-", "-"], "{row:?}");
        assert!(clean(&text).paragraphs[1].cuts.is_empty(), "{row:?}");
    }
}

#[test]
fn datelines() {
    // (first content paragraph, place, outlet, dateline text)
    let cases: &[(&str, Option<&str>, Option<&str>, &str)] = &[
        (
            "KOTABARU, KORANKITA.CO - Warga berkumpul.",
            Some("KOTABARU"),
            Some("KORANKITA.CO"),
            "KOTABARU, KORANKITA.CO -",
        ),
        (
            "Beritadesa.com - Warga berkumpul.",
            None,
            Some("Beritadesa.com"),
            "Beritadesa.com -",
        ),
        (
            "KLIKDESA -- Warga berkumpul.",
            None,
            Some("KLIKDESA"),
            "KLIKDESA --",
        ),
        (
            "Bandung (ANTARA) - Warga berkumpul.",
            Some("Bandung"),
            Some("ANTARA"),
            "Bandung (ANTARA) -",
        ),
        (
            "Liputan6.com, Bandung - Warga berkumpul.",
            Some("Bandung"),
            Some("Liputan6.com"),
            "Liputan6.com, Bandung -",
        ),
        (
            "SURABAYA, KOMPAS.com — Warga berkumpul.",
            Some("SURABAYA"),
            Some("KOMPAS.com"),
            "SURABAYA, KOMPAS.com —",
        ),
        (
            "SAMBAS – Warga berkumpul.",
            Some("SAMBAS"),
            None,
            "SAMBAS –",
        ),
        (
            "GEDONG TATAAN, KORANLAMPUNG -Warga berkumpul.",
            Some("GEDONG TATAAN"),
            Some("KORANLAMPUNG"),
            "GEDONG TATAAN, KORANLAMPUNG -",
        ),
        (
            "Jakarta, CNN Indonesia -- Warga berkumpul.",
            Some("Jakarta"),
            Some("CNN Indonesia"),
            "Jakarta, CNN Indonesia --",
        ),
        (
            "Doha, Qatar (ANTARA) - Warga berkumpul.",
            Some("Doha, Qatar"),
            Some("ANTARA"),
            "Doha, Qatar (ANTARA) -",
        ),
        (
            "Kota Tepi Laut Utara, Pulau Besar Sekali Ini (ANTARA) - Warga berkumpul.",
            Some("Kota Tepi Laut Utara, Pulau Besar Sekali Ini"),
            Some("ANTARA"),
            "Kota Tepi Laut Utara, Pulau Besar Sekali Ini (ANTARA) -",
        ),
        (
            // A reporter credit glued before the dateline is cut too (below).
            "Laporan Wartawan Warta Kita, Budi Santoso WARTAKITA.COM, SUKAMAJU - Warga berkumpul. \
             Mereka menunggu hasil rapat desa sampai sore.",
            Some("SUKAMAJU"),
            Some("WARTAKITA.COM"),
            "WARTAKITA.COM, SUKAMAJU -",
        ),
        (
            "LAPORAN REPORTER Warta Kita, Budi Santoso WARTAKITA.COM - Warga berkumpul. \
             Mereka menunggu hasil rapat desa sampai sore hari.",
            None,
            Some("WARTAKITA.COM"),
            "WARTAKITA.COM -",
        ),
    ];
    for &(line, place, outlet, dateline) in cases {
        let text = format!("Judul Tanpa Titik di Baris Pertama\n{line}\nParagraf kedua.");
        let doc = clean(&text);
        let d = doc
            .dateline
            .as_ref()
            .unwrap_or_else(|| panic!("no dateline in {line:?}"));
        assert_eq!(d.place.as_deref(), place, "{line:?}");
        assert_eq!(d.outlet.as_deref(), outlet, "{line:?}");
        assert_eq!(&text[d.start..d.end], dateline, "{line:?}");
        let p = &doc.paragraphs[1];
        assert_eq!(
            (p.start, p.end),
            (
                text.find(line).unwrap_or(0),
                text.find(line).unwrap_or(0) + line.len()
            )
        );
        assert!(
            p.cuts
                .iter()
                .any(|c| c.reason == CutReason::Dateline && (c.start, c.end) == (d.start, d.end))
        );
        assert!(doc.clean_text().contains("\nWarga berkumpul."), "{line:?}");
        if line.to_lowercase().starts_with("laporan") {
            let byline = p
                .cuts
                .iter()
                .find(|c| c.reason == CutReason::Marker(BoilerplateKind::Byline))
                .unwrap_or_else(|| panic!("no byline cut in {line:?}"));
            assert!(
                text[byline.start..byline.end].ends_with("Budi Santoso"),
                "{line:?}"
            );
        }
    }
}

#[test]
fn a_dateline_place_has_at_most_four_words() {
    let text =
        "Judul Tanpa Titik\nKota Tepi Laut Utara Jauh (ANTARA) - Warga berkumpul.\nParagraf kedua.";
    assert_eq!(clean(text).dateline, None);
    let text = "Judul Tanpa Titik\nKota Tepi, Laut Utara Timur Jauh Sekali (ANTARA) - Warga berkumpul.\nParagraf kedua.";
    assert_eq!(clean(text).dateline, None);
}

#[test]
fn no_dateline_in_ordinary_openings() {
    let rows = [
        "Ketua KPU, Ahmad Yani - yang juga hadir - menyampaikan sambutan.",
        "Pasangan Budi-Ani berkampanye di pasar.",
        "Kejaksaan Negeri (Kejari) menahan dua tersangka.",
        "Warga desa - terutama petani - menyambut baik program itu.",
    ];
    for row in rows {
        let text = format!("{row}\nParagraf kedua.");
        assert_eq!(clean(&text).dateline, None, "{row:?}");
    }
}

#[test]
fn sign_offs() {
    let cases: &[(&str, Option<&str>)] = &[
        ("Acara ditutup dengan doa bersama. (ant)", Some("(ant)")),
        ("Acara ditutup dengan doa bersama.(rls)", Some("(rls)")),
        ("Acara ditutup dengan doa bersama. [zul]", Some("[zul]")),
        ("Acara ditutup dengan doa bersama. (*)", Some("(*)")),
        (
            "Acara ditutup dengan doa bersama. (jbr/idh)",
            Some("(jbr/idh)"),
        ),
        ("Acara ditutup dengan doa bersama.", None),
        ("Acara dihadiri Komisi Pemilihan Umum (KPU)", None),
        ("Acara ditutup dengan doa bersama (2).", None),
    ];
    for &(last, expected) in cases {
        let text = format!("Paragraf pertama.\n{last}\nEditor: Sari Dewi");
        let doc = clean(&text);
        assert_eq!(
            doc.sign_off.as_ref().map(|s| s.text.as_str()),
            expected,
            "{last:?}"
        );
        if let Some(s) = &doc.sign_off {
            assert_eq!(&text[s.start..s.end], s.text);
            assert!(
                doc.paragraphs[1]
                    .cuts
                    .iter()
                    .any(|c| c.reason == CutReason::SignOff)
            );
            assert!(doc.clean_text().ends_with("doa bersama."), "{last:?}");
        }
    }
}

#[test]
fn inline_markers_are_cut_out_of_content() {
    // (one flattened content line, the cut texts in order)
    let cases: &[(&str, &[&str])] = &[
        (
            "Kalimat pertama berita.   Baca juga: Judul lain tentang desa   Kalimat berikutnya yang panjang.",
            &["Baca juga: Judul lain tentang desa"],
        ),
        (
            "Kalimat pertama berita. ADVERTISEMENT Kalimat kedua berita.",
            &["ADVERTISEMENT"],
        ),
        (
            "Kalimat terakhir berita.Baca juga: Judul penutup yang pendekPewarta: Andi WijayaEditor: Rina    COPYRIGHT © KORANKITA 2024",
            &[
                "Baca juga: Judul penutup yang pendek",
                "Pewarta: Andi WijayaEditor: Rina    COPYRIGHT © KORANKITA 2024",
            ],
        ),
        (
            "Kalimat terakhir berita. BACA JUGA: Lima Desa Raih Penghargaan Kebersihan Tingkat Kabupaten Tahun Ini Sementara itu warga tetap bergotong royong setiap pekan.",
            &["BACA JUGA: Lima Desa Raih Penghargaan Kebersihan Tingkat Kabupaten Tahun Ini"],
        ),
        (
            "Kalimat terakhir berita.Simak juga Video 'Warga Panen Raya': [Gambas:Video 20desa]",
            &["Simak juga Video 'Warga Panen Raya': [Gambas:Video 20desa]"],
        ),
    ];
    for &(line, expected) in cases {
        let text = format!("{line}\n");
        let doc = clean(&text);
        let p = &doc.paragraphs[0];
        assert_eq!(p.boilerplate, None, "{line:?}");
        let cuts: Vec<&str> = p
            .cuts
            .iter()
            .filter(|c| matches!(c.reason, CutReason::Marker(_)))
            .map(|c| &text[c.start..c.end])
            .collect();
        assert_eq!(&cuts, expected, "{line:?}");
    }
}

#[test]
fn read_also_line_is_boilerplate_even_on_topic() {
    let text =
        "Isi berita.\nBACA JUGA: Camat Dilaporkan ke Bawaslu, Diduga Tidak Netral\nIsi lagi.";
    assert_eq!(kinds(text), ["-", "read_also", "-"]);
}

#[test]
fn clean_text_keeps_content_without_cuts() {
    let text = "Judul Berita Desa\n\
                KOTABARU, KORANKITA.CO - Warga berkumpul di balai desa.\n\
                BACA JUGA: Judul Lain\n\
                Rapat berakhir sore hari. ADVERTISEMENT Semua pulang.(ant)\n\
                Editor: Sari Dewi\n";
    let doc = clean(text);
    assert_eq!(
        doc.clean_text(),
        "Judul Berita Desa\n\nWarga berkumpul di balai desa.\n\nRapat berakhir sore hari. Semua pulang."
    );
    assert_eq!(clean(&doc.clean_text()).clean_text(), doc.clean_text());
}

#[test]
fn offsets_point_into_the_original_text() {
    let text =
        "\u{a0}Judul Berita Émas\r\n\r\n  JAKARTA, KORAN.ID - Isi berita.  \r\nPenulis: Sari\r\n";
    let doc = clean(text);
    let spans: Vec<&str> = doc
        .paragraphs
        .iter()
        .map(|p| &text[p.start..p.end])
        .collect();
    assert_eq!(
        spans,
        [
            "Judul Berita Émas",
            "JAKARTA, KORAN.ID - Isi berita.",
            "Penulis: Sari"
        ]
    );
    assert_eq!(kinds(text), ["-", "-", "byline"]);
}

#[test]
fn a_dateline_place_has_at_most_forty_one_characters() {
    // A place in capitals before a dash: 41 characters still make one.
    let place = "KEPULAUANSELAYARUTAR BARATDAYA TENGAHJAUH";
    assert_eq!(place.chars().count(), 41);
    let text = format!("{place} - Warga berkumpul di balai desa.\nParagraf kedua.");
    let d = clean(&text).dateline.expect("a dateline");
    assert_eq!(d.place.as_deref(), Some(place));

    // One more, and the line is an ordinary opening; the same holds for
    // characters of more than one byte.
    for place in [format!("{place}X"), format!("{place}É")] {
        let text = format!("{place} - Warga berkumpul di balai desa.\nParagraf kedua.");
        assert_eq!(clean(&text).dateline, None, "{place:?}");
    }

    // The same bound on both names of a pair.
    let long = format!("{place}X");
    let text = format!("{long}, KOMPAS.com - Warga berkumpul.\nParagraf kedua.");
    assert_eq!(clean(&text).dateline, None);
    let text = format!("{place}, KOMPAS.com - Warga berkumpul.\nParagraf kedua.");
    assert!(clean(&text).dateline.is_some());
}

//! The input the benches and `benches/whole-process.sh` measure: the real
//! scraped articles of `../shared/corpus/real-news.jsonl` when that file is
//! there, else a deterministic generator of our own Indonesian election-news
//! articles with the boilerplate scrapers leave in.

use serde::Serialize;

/// The shared corpus, read at run time and never copied into the project.
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/real-news.jsonl"
);

/// How many articles the generator writes: about 4 MB of text, near the size
/// of the shared corpus.
pub const GENERATED_ARTICLES: usize = 1_600;

/// Articles as JSON Lines, and the article texts parsed out of them.
pub struct Corpus {
    /// Where the articles came from, for the bench log.
    pub source: &'static str,
    /// The JSON Lines input, one `{"id", "text", ...}` object per line.
    pub jsonl: String,
    /// The `"text"` of every line, in order.
    pub texts: Vec<String>,
}

impl Corpus {
    /// The shared corpus when present, else [`GENERATED_ARTICLES`] generated articles.
    pub fn load() -> Corpus {
        let (source, jsonl) = match std::fs::read_to_string(CORPUS) {
            Ok(jsonl) => ("../shared/corpus/real-news.jsonl", jsonl),
            Err(_) => ("generated articles", generated_jsonl(GENERATED_ARTICLES)),
        };
        let texts: Vec<String> = jsonl
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|article| article.get("text")?.as_str().map(str::to_owned))
            .collect();
        assert!(!texts.is_empty(), "no article texts in {source}");
        Corpus {
            source,
            jsonl,
            texts,
        }
    }

    /// Bytes of article text, unescaped.
    pub fn text_bytes(&self) -> usize {
        self.texts.iter().map(String::len).sum()
    }
}

#[derive(Serialize)]
struct Line<'a> {
    id: String,
    text: &'a str,
}

/// `count` generated articles as JSON Lines, the same on every run.
pub fn generated_jsonl(count: usize) -> String {
    let mut words = Words::new(0x5EED_2024);
    let mut jsonl = String::new();
    for n in 0..count {
        let text = words.article();
        let line = Line {
            id: format!("gen-{n}"),
            text: &text,
        };
        jsonl.push_str(&serde_json::to_string(&line).expect("a string field always serializes"));
        jsonl.push('\n');
    }
    jsonl
}

// Our own election-news vocabulary, written for these benches.
const PLACES: &[&str] = &[
    "Batanghari",
    "Sleman",
    "Kupang",
    "Banjarbaru",
    "Lhokseumawe",
    "Garut",
    "Pematangsiantar",
    "Mamuju",
    "Ternate",
    "Jayapura",
];
const OUTLETS: &[&str] = &[
    "KABARDAERAH.ID",
    "Warta Lokal",
    "SUARAPEMILU.COM",
    "Harian Nusa",
];
/// The people, statements and quotes of one kind of story.
struct Beat {
    subjects: &'static [&'static str],
    clauses: &'static [&'static str],
    quotes: &'static [&'static str],
}

const VERBS: &[&str] = &[
    "mengingatkan",
    "meminta",
    "menegaskan",
    "mengimbau",
    "menyampaikan",
    "melaporkan",
    "memastikan",
    "menjelaskan",
];
const ELECTION: Beat = Beat {
    subjects: &[
        "Ketua Bawaslu setempat",
        "Komisioner KPU",
        "Ketua Panwascam",
        "Koordinator divisi penanganan pelanggaran",
        "Penjabat Bupati",
    ],
    clauses: &[
        "seluruh aparatur sipil negara wajib menjaga netralitas selama tahapan pilkada",
        "pegawai yang terbukti berpihak akan dijatuhi sanksi disiplin sesuai peraturan",
        "kepala desa dilarang mengikuti kegiatan kampanye salah satu pasangan calon",
        "dugaan politik uang berupa pembagian amplop kepada warga sudah diterima pengawas",
        "para camat menandatangani pakta integritas netralitas di aula kantor bupati",
        "unggahan dukungan di media sosial termasuk pelanggaran kode etik pegawai",
        "pejabat yang ikut berkampanye harus mengajukan cuti di luar tanggungan negara",
        "relawan membagikan sembako sambil mengenakan kaus bergambar calon",
        "debat publik kedua akan digelar di gedung serbaguna pekan depan",
    ],
    quotes: &[
        "Kami tidak akan ragu menindak siapa pun yang melanggar",
        "Netralitas itu harga mati bagi pegawai pemerintah",
        "Silakan laporkan kalau ada temuan di lapangan",
    ],
};
const LOCAL: Beat = Beat {
    subjects: &[
        "Sekretaris Daerah",
        "Kepala Dinas Pekerjaan Umum",
        "Camat",
        "Seorang pedagang",
        "Kepala puskesmas",
    ],
    clauses: &[
        "distribusi pupuk ke gudang kecamatan berjalan lancar",
        "jumlah penduduk dalam data kependudukan bertambah sekitar dua ribu orang",
        "harga cabai dan bawang di pasar tradisional mulai turun menjelang akhir bulan",
        "perbaikan jalan penghubung antardesa ditargetkan selesai sebelum musim hujan",
        "puskesmas keliling melayani pemeriksaan kesehatan gratis bagi lansia",
        "turnamen sepak bola antarkampung dibuka dengan pawai pelajar",
    ],
    quotes: &[
        "Semua pekerjaan kami awasi dengan ketat",
        "Warga tidak perlu khawatir soal pasokan",
    ],
};
const TAILS: &[&str] = &[
    "kata dia",
    "ujarnya kepada wartawan",
    "tegasnya saat ditemui usai apel pagi",
    "katanya dalam rapat koordinasi",
    "jelasnya di sela sosialisasi",
];
const HEADLINES: &[&str] = &[
    "Bawaslu Temukan Dugaan Pelanggaran Netralitas Kades",
    "Ratusan ASN Teken Pakta Integritas Jelang Pilkada",
    "Warga Laporkan Bagi-bagi Amplop ke Panwascam",
    "Harga Cabai di Pasar Induk Mulai Turun",
    "Jalan Antardesa Rampung Sebelum Musim Hujan",
];
const TAGS: &[&str] = &[
    "pilkada 2024",
    "bawaslu",
    "netralitas asn",
    "kpu",
    "politik uang",
];

/// A fixed linear congruential sequence picking words.
struct Words(u64);

impl Words {
    fn new(seed: u64) -> Self {
        Words(seed)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }

    /// A quote, or a reported statement about the beat and local matters.
    fn sentence(&mut self, beat: &Beat) -> String {
        match self.below(3) {
            0 => format!("“{}”, {}.", self.pick(beat.quotes), self.pick(TAILS)),
            _ => format!(
                "{} {} {} {}, {}.",
                self.pick(beat.subjects),
                self.pick(PLACES),
                self.pick(VERBS),
                self.pick(beat.clauses),
                self.pick(LOCAL.clauses)
            ),
        }
    }

    fn paragraph(&mut self, beat: &Beat) -> String {
        let sentences = 2 + self.below(3);
        (0..sentences)
            .map(|_| self.sentence(beat))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A headline, a datelined lead, body paragraphs with a read-also line,
    /// a caption and a byline, and a tag footer. One article in three is
    /// about the election; the rest is other local news, as in a real feed.
    fn article(&mut self) -> String {
        let (beat, headlines) = match self.below(3) {
            0 => (&ELECTION, &HEADLINES[..3]),
            _ => (&LOCAL, &HEADLINES[3..]),
        };
        let mut lines = vec![self.pick(headlines).to_owned()];
        lines.push(format!(
            "{}, {} - {}",
            self.pick(PLACES).to_uppercase(),
            self.pick(OUTLETS),
            self.paragraph(beat)
        ));
        let body = 2 + self.below(6);
        for i in 0..body {
            if i == 1 {
                lines.push(format!("BACA JUGA: {}", self.pick(HEADLINES)));
            }
            if i == 2 && self.below(2) == 0 {
                lines.push(format!(
                    "Foto: Suasana rapat koordinasi pengawasan pilkada di {}. (Dok. Humas)",
                    self.pick(PLACES)
                ));
            }
            lines.push(self.paragraph(beat));
        }
        lines.push("Editor: Redaksi".to_owned());
        lines.push(format!("Tags: {}, {}", self.pick(TAGS), self.pick(TAGS)));
        lines.join("\n\n")
    }
}

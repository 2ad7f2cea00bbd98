//! The kinds of real-news text the default lexicon once got wrong (issue
//! 10), as tables of (paragraph, topics it must carry, topics it must not
//! carry). Every paragraph is written for these tests; each stands in an
//! election article of our own, so that the article-level contexts hold
//! and only the paragraph's own words decide.

use warta::{Classifier, Topic};

use Topic::*;

/// The article around each paragraph under test: an election story that
/// names officials and the watchdog, with blank lines between paragraphs,
/// far from the tested one (two paragraphs away), so that only the
/// paragraph's own words and its neighbours count.
fn article_around(paragraph: &str) -> String {
    format!(
        "Pemilu 2024 di Kabupaten Sukamaju Memasuki Masa Kampanye\n\n\
         KPU dan Bawaslu Sukamaju menyiapkan tahapan pemilu, sementara pegawai dan ASN bekerja seperti biasa.\n\n\
         Cuaca di Sukamaju cerah sepanjang pekan dan harga cabai di pasar stabil.\n\n\
         {paragraph}\n\n\
         Panen padi di desa-desa sekitar kota berlangsung lancar tahun ini.\n\n\
         Pemerintah daerah juga memperbaiki jalan menuju pasar induk."
    )
}

type Case = (&'static str, &'static [Topic], &'static [Topic]);

fn check(cases: &[Case]) {
    let classifier = Classifier::default();
    let mut failures = Vec::new();
    for &(paragraph, must, must_not) in cases {
        let text = article_around(paragraph);
        let article = classifier.classify(&text);
        let Some(p) = article
            .paragraphs
            .iter()
            .find(|p| &text[p.start..p.end] == paragraph)
        else {
            failures.push(format!("{paragraph:?}: not found as one paragraph"));
            continue;
        };
        let missing: Vec<_> = must.iter().filter(|t| !p.labels.contains(t)).collect();
        let extra: Vec<_> = must_not.iter().filter(|t| p.labels.contains(t)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{paragraph:?}: missing {missing:?}, unwanted {extra:?}, scores {:?}",
                p.scores
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Kind 1: generic legal and investigative words are no election violation
/// unless one is named in or next to their paragraph.
#[test]
fn crime_probes_in_an_election_article_carry_no_topic() {
    check(&[
        (
            "Kejaksaan memeriksa seorang kepala desa dalam kasus dugaan korupsi dana desa, dan bendaharanya dimintai keterangan selama enam jam.",
            &[],
            &[ViolationReport, SanctionThreat],
        ),
        (
            "Polisi menyelidiki peretas yang membobol basis data sebuah toko daring sebagai tindak pidana siber, dan penyelidikan masih berjalan.",
            &[],
            &[ViolationReport, SanctionThreat],
        ),
        (
            "Warga mengeluhkan oknum pengendara yang tidak bertanggung jawab membuang sampah di pinggir jalan.",
            &[],
            &[SanctionThreat],
        ),
        // The same words next to a neutrality breach do count.
        (
            "Bawaslu memeriksa camat yang diduga tidak netral karena mengajak warga memilih calon tertentu; ia dimintai keterangan kemarin.",
            &[ViolationReport],
            &[],
        ),
    ]);
}

/// Kind 2: what would happen to violators is a threat; an actual case,
/// named, counted or done, is a report.
#[test]
fn hypothetical_sanctions_are_threats_and_actual_cases_are_reports() {
    check(&[
        (
            "Pegawai yang terbukti berpihak akan diperiksa inspektorat dan bisa dilaporkan ke BKN untuk dijatuhi sanksi.",
            &[SanctionThreat],
            &[ViolationReport],
        ),
        (
            "Jika ada laporan tentang ASN yang tidak netral, laporan itu akan kami tindak lanjuti sesuai aturan.",
            &[SanctionThreat],
            &[ViolationReport],
        ),
        (
            "Bawaslu sudah memanggil seorang camat berinisial RS setelah fotonya bersama pasangan calon beredar.",
            &[ViolationReport],
            &[],
        ),
        (
            "Dua kepala desa di Sukamaju telah dijatuhi hukuman disiplin karena ikut berkampanye untuk calon bupati.",
            &[ViolationReport, SanctionThreat],
            &[],
        ),
        (
            "Hingga kini belum ada laporan pelanggaran netralitas pegawai yang masuk ke Bawaslu.",
            &[ViolationReport],
            &[],
        ),
    ]);
}

/// Kind 3: ethics cases of election organisers are reports.
#[test]
fn ethics_cases_of_election_organisers_are_reports() {
    check(&[
        (
            "DKPP menggelar sidang kode etik dengan teradu seorang anggota KPU kabupaten yang dituding menggelembungkan suara seorang caleg.",
            &[ViolationReport],
            &[MoneyPolitics],
        ),
        (
            "Majelis menyatakan anggota KPU itu terbukti melanggar kode etik, sebagaimana diadukan pengadu pada bulan lalu.",
            &[ViolationReport],
            &[],
        ),
        // A hearing that would be held is a threat.
        (
            "Komandan menegaskan prajurit yang tidak netral bakal menjalani sidang kode etik.",
            &[SanctionThreat],
            &[ViolationReport],
        ),
    ]);
}

/// Kind 4: a directive to officials against a political act is a
/// neutrality warning without the word `netral`; `TNI-Polri` names
/// officials.
#[test]
fn indirect_instructions_to_officials_are_warnings() {
    check(&[
        (
            "Camat melarang staf kecamatan memasang spanduk pasangan calon di kantor pemerintah.",
            &[NeutralityWarning],
            &[ViolationReport],
        ),
        (
            "Para kepala desa diminta agar tidak menghadiri rapat tim pemenangan salah satu kandidat.",
            &[NeutralityWarning],
            &[],
        ),
        (
            "Kapolda berharap jajaran TNI-Polri tetap netral dan mengingatkan oknum yang coba-coba bermain politik.",
            &[NeutralityWarning],
            &[],
        ),
    ]);
}

/// Kind 5: peace pacts are no neutrality pledges, bribes to officials are
/// no money politics, and a claim of non-neutrality is a report.
#[test]
fn peace_pacts_bribes_and_claims() {
    check(&[
        (
            "Semua partai peserta pemilu menandatangani pakta integritas pemilu damai di alun-alun kota.",
            &[],
            &[NeutralityPledge],
        ),
        (
            "Seluruh kepala desa membacakan ikrar netralitas dan menandatangani pakta integritas di pendopo.",
            &[NeutralityPledge],
            &[],
        ),
        (
            "Seorang anggota KPU kabupaten diduga menerima suap dari caleg agar suaranya ditambah di tingkat kecamatan.",
            &[ViolationReport],
            &[MoneyPolitics],
        ),
        (
            "Warga yang menerima amplop berisi uang dari tim sukses diminta melapor ke Bawaslu.",
            &[MoneyPolitics, ViolationReport],
            &[],
        ),
        (
            "Tim kampanye menuding oknum polisi tidak netral dan sudah melaporkannya ke Bawaslu, meski polisi membantahnya.",
            &[ViolationReport],
            &[],
        ),
    ]);
}

/// An article carries a topic exactly when its score reaches the topic's
/// threshold.
#[test]
fn article_labels_and_scores_agree() {
    let classifier = Classifier::default();
    let texts = [
        article_around("ASN yang melanggar netralitas akan dikenai sanksi disiplin."),
        article_around("Bawaslu sudah memanggil seorang lurah yang ikut berkampanye."),
        article_around("Harga beras naik."),
    ];
    for text in &texts {
        let article = classifier.classify(text);
        for topic in Topic::ALL {
            let carried = article.labels.contains(&topic);
            let reaches = article.scores.get(topic) >= classifier.lexicon().threshold(topic);
            assert_eq!(carried, reaches, "{topic} in {text:?}");
        }
    }
}

//! Topic labels on articles written for these tests, and the invariants of
//! the evidence every label comes with.

use warta::{Classifier, Evidence, Fired, Topic};

use Topic::*;

/// An article in the genre: warnings, sanctions, passive attendance, social
/// media, campaign leave, money politics and a pledge.
const WARNINGS: &str = "\
Bupati Sukamaju Minta ASN Jaga Netralitas Jelang Pilkada

SUKAMAJU, WARTAKITA.ID - Bupati Sukamaju, Rahmat Hidayat, meminta seluruh aparatur sipil negara (ASN) menjaga netralitas dan tidak berpihak kepada pasangan calon mana pun selama Pilkada 2024.

\"ASN yang terbukti melanggar akan dikenai sanksi disiplin sesuai aturan yang berlaku,\" kata Rahmat, Senin (7/10/2024).

BACA JUGA: Bawaslu Sukamaju Terima Laporan Dugaan Pelanggaran Netralitas Kepala Desa

Ia menjelaskan pegawai boleh menghadiri kampanye, asalkan hanya mendengarkan visi dan misi calon tanpa memakai atribut partai.

ASN juga dilarang mengunggah foto bersama calon atau memberi tanda suka pada unggahan kandidat di media sosial.

Pegawai yang ingin maju dalam pilkada wajib mengundurkan diri sebelum ditetapkan sebagai calon oleh KPU.

Rahmat mengingatkan warga agar menolak politik uang dan segera melapor ke Bawaslu bila melihat pembagian amplop menjelang pencoblosan.

Di akhir acara, para kepala dinas menandatangani pakta integritas untuk menjaga netralitas.

Penulis: Dewi Lestari
Editor: Arif Nugroho
";

/// An election article that uses topic words in other senses.
const OTHER_SENSES: &str = "\
KPU Sukamaju Mulai Kirim Logistik Pilkada

SUKAMAJU - KPU Sukamaju mulai mengirim kotak suara dan surat suara Pilkada 2024 ke seluruh kecamatan, Sabtu (23/11/2024).

Di sela distribusi, Dinas Kesehatan menggelar kampanye imunisasi campak bagi balita di 12 kecamatan.

Seorang petugas gudang yang sedang cuti melahirkan digantikan sementara oleh rekannya.

Petugas memastikan cairan pembersih kotak suara memiliki pH netral agar tidak merusak segel.

Camat Sukamaju juga hadir di resepsi pernikahan warga seusai meninjau gudang logistik.

Ketua KPU berharap pemungutan suara di semua TPS berjalan lancar.
";

/// A sports article full of topic words, with no election in sight.
const SPORTS: &str = "\
Komdis Jatuhkan Sanksi kepada Persikota, Laga Dipindah ke Tempat Netral

Komite Disiplin menjatuhkan sanksi kepada Persikota setelah suporter menyalakan suar. Klub itu harus bermain di tempat netral dan membayar denda.

Dua pemain yang menerima kartu merah dilaporkan ke komite dan terancam sanksi tambahan.
";

/// Negation and stance, and a paragraph that points back.
const STANCE: &str = "\
Bawaslu Catat Dua ASN Tidak Netral di Pilkada Sukamaju

SUKAMAJU - Bawaslu Sukamaju menerima laporan dua ASN yang diduga tidak netral karena ikut berkampanye untuk salah satu pasangan calon bupati.

Sekda Sukamaju meminta seluruh pegawai jangan berpihak kepada calon mana pun selama masa kampanye pilkada.

Bupati juga menerbitkan surat edaran tentang netralitas ASN yang wajib dipatuhi seluruh perangkat daerah.

Hal ini disampaikan untuk mengingatkan camat dan lurah di 14 kecamatan.

Kepala dinas yang tidak hadir pada acara itu akan dipanggil untuk dimintai penjelasan.
";

/// (article, a phrase of the paragraph, topics it must carry, topics it must not carry).
const CASES: &[(&str, &str, &[Topic], &[Topic])] = &[
    (
        WARNINGS,
        "Bupati Sukamaju Minta ASN",
        &[NeutralityWarning],
        &[SanctionThreat],
    ),
    (
        WARNINGS,
        "tidak berpihak kepada pasangan",
        &[NeutralityWarning],
        &[ViolationReport],
    ),
    (
        WARNINGS,
        "dikenai sanksi disiplin",
        &[SanctionThreat],
        &[ViolationReport],
    ),
    (
        WARNINGS,
        "BACA JUGA",
        &[],
        &[ViolationReport, NeutralityWarning],
    ),
    (
        WARNINGS,
        "boleh menghadiri kampanye",
        &[PassiveCampaignAttendance],
        &[CampaignLeave],
    ),
    (
        WARNINGS,
        "tanda suka",
        &[SocialMediaConduct],
        &[MoneyPolitics],
    ),
    (
        WARNINGS,
        "mengundurkan diri",
        &[CampaignLeave],
        &[SocialMediaConduct],
    ),
    (
        WARNINGS,
        "politik uang",
        &[MoneyPolitics, ViolationReport],
        &[CampaignLeave],
    ),
    (
        WARNINGS,
        "pakta integritas",
        &[NeutralityPledge],
        &[MoneyPolitics],
    ),
    (WARNINGS, "Penulis", &[], &Topic::ALL),
    (OTHER_SENSES, "kampanye imunisasi", &[], &Topic::ALL),
    (OTHER_SENSES, "cuti melahirkan", &[], &Topic::ALL),
    (OTHER_SENSES, "pH netral", &[], &Topic::ALL),
    (OTHER_SENSES, "hadir di resepsi", &[], &Topic::ALL),
    (OTHER_SENSES, "berjalan lancar", &[], &Topic::ALL),
    (SPORTS, "Komdis Jatuhkan", &[], &Topic::ALL),
    (SPORTS, "menyalakan suar", &[], &Topic::ALL),
    (SPORTS, "kartu merah", &[], &Topic::ALL),
    (STANCE, "diduga tidak netral", &[ViolationReport], &[]),
    (
        STANCE,
        "jangan berpihak",
        &[NeutralityWarning],
        &[ViolationReport],
    ),
    (STANCE, "Hal ini disampaikan", &[NeutralityWarning], &[]),
    (STANCE, "tidak hadir", &[], &[PassiveCampaignAttendance]),
];

#[test]
fn paragraphs_carry_the_topics_they_state() {
    let classifier = Classifier::default();
    let mut failures = Vec::new();
    for &(text, phrase, must, must_not) in CASES {
        let article = classifier.classify(text);
        let paragraph = article
            .paragraphs
            .iter()
            .find(|p| text[p.start..p.end].contains(phrase))
            .unwrap_or_else(|| panic!("no paragraph contains {phrase:?}"));
        let missing: Vec<_> = must
            .iter()
            .filter(|t| !paragraph.labels.contains(t))
            .collect();
        let extra: Vec<_> = must_not
            .iter()
            .filter(|t| paragraph.labels.contains(t))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{phrase:?}: missing {missing:?}, unwanted {extra:?}, evidence {:?}",
                paragraph.evidence
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_article_carries_the_topics_of_its_paragraphs() {
    let classifier = Classifier::default();
    let article = classifier.classify(WARNINGS);
    for topic in [
        NeutralityWarning,
        SanctionThreat,
        NeutralityPledge,
        MoneyPolitics,
    ] {
        assert!(article.labels.contains(&topic), "{topic}");
        assert!(article.scores.get(topic) > 0.0, "{topic}");
    }
    assert!(classifier.classify(SPORTS).labels.is_empty());
    assert!(classifier.classify(OTHER_SENSES).labels.is_empty());
}

#[test]
fn evidence_points_at_the_words_inside_its_paragraph() {
    let classifier = Classifier::default();
    for text in [WARNINGS, OTHER_SENSES, SPORTS, STANCE] {
        let article = classifier.classify(text);
        for p in &article.paragraphs {
            if p.boilerplate.is_some() {
                assert!(p.labels.is_empty() && p.evidence.is_empty());
            }
            for label in &p.labels {
                assert!(p.scores.get(*label) >= classifier.lexicon().threshold(*label));
                assert!(p.evidence.iter().any(|e| e.topic == *label), "{label}");
            }
            for e in &p.evidence {
                assert!(!e.spans.is_empty(), "{e:?}");
                for (i, s) in e.spans.iter().enumerate() {
                    assert!(p.start <= s.start && s.start < s.end && s.end <= p.end);
                    assert_eq!(text.get(s.start..s.end), Some(&*s.text));
                    // In text order, each span once.
                    assert!(
                        e.spans[..i]
                            .iter()
                            .all(|t| (t.start, t.end) < (s.start, s.end))
                    );
                }
            }
            // One entry per rule firing.
            for (i, e) in p.evidence.iter().enumerate() {
                let same = |f: &&Evidence| {
                    f.topic == e.topic && f.fired == e.fired && f.negated == e.negated
                };
                assert_eq!(p.evidence[..i].iter().filter(same).count(), 0, "{e:?}");
            }
        }
    }
}

#[test]
fn a_negated_attendance_is_no_attendance_but_a_negated_side_is_a_warning() {
    let classifier = Classifier::default();
    let article = classifier.classify(STANCE);
    let jangan = article
        .paragraphs
        .iter()
        .find(|p| STANCE[p.start..p.end].contains("jangan berpihak"))
        .unwrap();
    assert!(
        jangan
            .evidence
            .iter()
            .any(|e| e.negated && e.topic == NeutralityWarning)
    );
}

#[test]
fn carried_over_topics_say_so_in_their_evidence() {
    let classifier = Classifier::default();
    let article = classifier.classify(STANCE);
    let p = article
        .paragraphs
        .iter()
        .find(|p| STANCE[p.start..p.end].starts_with("Hal ini"))
        .unwrap();
    let carried = p
        .evidence
        .iter()
        .find(|e| e.fired == Fired::CarryOver)
        .expect("carry-over evidence");
    assert_eq!(carried.spans.len(), 1);
    assert_eq!(carried.spans[0].text, "Hal ini");
    assert_eq!(
        &STANCE[carried.spans[0].start..carried.spans[0].end],
        "Hal ini"
    );
}

/// A classifier with a one-term football lexicon whose sanction threats
/// need the league named: in the article (`requires`) or near the
/// paragraph (`requires_nearby`).
fn football(requirement: &str) -> Classifier {
    let source = format!(
        "[context.football]\nterms = [\"liga\"]\n\n\
         [topic.sanction_threat]\n{requirement} = [\"football\"]\n\n\
         [[term]]\ntopic = \"sanction_threat\"\nweight = 0.8\nterms = [\"sanksi\"]\n"
    );
    Classifier::builder()
        .lexicon_toml(&source, "football.toml")
        .build()
        .unwrap()
}

#[test]
fn a_lexicon_of_our_own_replaces_the_default() {
    let classifier = football("requires");
    let article = classifier.classify("Liga menjatuhkan sanksi kepada klub itu.");
    assert_eq!(article.labels, [SanctionThreat]);
    let evidence = &article.paragraphs[0].evidence[0];
    assert_eq!(evidence.fired, Fired::Term("sanksi".to_owned()));
    let span = &evidence.spans[0];
    assert_eq!(&article.text()[span.start..span.end], "sanksi");
}

#[test]
fn empty_and_odd_texts_classify_to_nothing() {
    let classifier = Classifier::default();
    for text in [
        "",
        " \n\u{a0}\u{200b}\r\n",
        "\0",
        "\r",
        "\u{2028}",
        "😀🇮🇩",
        "ｎｅｔｒａｌ",
    ] {
        let article = classifier.classify(text);
        assert!(article.labels.is_empty(), "{text:?}");
        for p in &article.paragraphs {
            assert!(p.start <= p.end && p.end <= text.len());
        }
    }
}

#[test]
fn synonyms_in_a_once_block_count_once() {
    let source = |once: bool| {
        format!(
            "[[term]]\ntopic = \"social_media_conduct\"\nweight = 0.3\nonce = {once}\nterms = [\"facebook\", \"instagram\", \"tiktok\"]\n"
        )
    };
    let text = "Ia aktif di Facebook, Instagram dan TikTok.";
    let score = |once: bool| {
        let classifier = Classifier::builder()
            .lexicon_toml(&source(once), "platforms.toml")
            .build()
            .unwrap();
        classifier.classify(text).paragraphs[0]
            .scores
            .get(SocialMediaConduct)
    };
    assert!((score(true) - 0.3).abs() < 1e-6, "{}", score(true));
    assert!(score(false) > 0.6, "{}", score(false));
}

#[test]
fn requires_nearby_keeps_a_topic_to_paragraphs_near_its_context() {
    let classifier = football("requires_nearby");
    let text = "Liga menjatuhkan sanksi.\n\nKlub itu kecewa.\n\nPenonton pulang.\n\nPengendara dikenai sanksi tilang.";
    let labels: Vec<bool> = classifier
        .classify(text)
        .paragraphs
        .iter()
        .map(|p| p.labels.contains(&SanctionThreat))
        .collect();
    // The league is named in the first paragraph: it and its neighbour may
    // carry the topic; the traffic fine two paragraphs further may not.
    assert_eq!(labels, [true, false, false, false]);
    let near = classifier.classify("Sanksi itu berat.\n\nLiga sudah memutuskan.");
    assert!(near.paragraphs[0].labels.contains(&SanctionThreat));
}

/// A lexicon whose every topic requires a context with words that have an
/// apostrophe and a letter outside ASCII, so the context prefilter applies.
#[test]
fn a_required_context_matches_words_written_with_other_characters() {
    let mut source = String::from(
        "[context.village]\nterms = [\"jum'at kliwon\", \"pémilu desa\"]\n\n\
         [[term]]\ntopic = \"sanction_threat\"\nweight = 0.8\nterms = [\"sanksi\"]\n",
    );
    for topic in Topic::ALL {
        source.push_str(&format!(
            "\n[topic.{}]\nrequires = [\"village\"]\n",
            topic.id()
        ));
    }
    let classifier = Classifier::builder()
        .lexicon_toml(&source, "village.toml")
        .build()
        .unwrap();
    for text in [
        "Pada Jum'at Kliwon warga diancam sanksi.",
        "Pada Jum’at Kliwon warga diancam sanksi.",
        "Menjelang PÉMILU DESA warga diancam sanksi.",
        "PADA JUM’AT KLIWON WARGA DIANCAM SANKSI.",
    ] {
        let article = classifier.classify(text);
        assert_eq!(article.labels, [SanctionThreat], "{text}");
    }
    let unrelated = classifier.classify("Pada hari Jumat warga diancam sanksi.");
    assert!(unrelated.labels.is_empty());
}

/// A lexicon with one report word that needs a violation named near it,
/// and turns into a threat after a modality cue.
fn reports(extra: &str) -> Classifier {
    let source = format!(
        "[settings]\nhypothetical = [\"akan\", \"jika\"]\nhypothetical_window = 3\n\n\
         [context.violation]\nterms = [\"tidak netral\"]\n\n\
         [[term]]\ntopic = \"violation_report\"\nweight = 0.8\n{extra}\nterms = [\"diperiksa\"]\n"
    );
    Classifier::builder()
        .lexicon_toml(&source, "reports.toml")
        .build()
        .unwrap()
}

fn labels_of(classifier: &Classifier, text: &str) -> Vec<Vec<Topic>> {
    classifier
        .classify(text)
        .paragraphs
        .iter()
        .map(|p| p.labels.clone())
        .collect()
}

#[test]
fn a_term_with_requires_nearby_counts_only_near_its_context() {
    let classifier = reports("requires_nearby = [\"violation\"]");
    let text = "Camat itu tidak netral.\n\nIa sudah diperiksa.\n\nCuaca cerah.\n\nBendahara desa diperiksa jaksa.";
    assert_eq!(
        labels_of(&classifier, text),
        [vec![], vec![ViolationReport], vec![], vec![]]
    );
    // Without the condition the word counts anywhere.
    let anywhere = reports("");
    assert_eq!(labels_of(&anywhere, text)[3], [ViolationReport]);
}

#[test]
fn a_modality_cue_turns_a_term_into_what_its_entry_says() {
    let text = "Pegawai itu akan diperiksa.\n\nPegawai itu sudah diperiksa.\n\nJika pegawai diperiksa, ia diberhentikan.\n\nAkan ada rapat. Pegawai diperiksa.";
    let dropped = reports("hypothetical = \"drop\"");
    assert_eq!(
        labels_of(&dropped, text),
        [vec![], vec![ViolationReport], vec![], vec![ViolationReport]]
    );
    let threat = reports("hypothetical = \"sanction_threat\"");
    assert_eq!(
        labels_of(&threat, text),
        [
            vec![SanctionThreat],
            vec![ViolationReport],
            vec![SanctionThreat],
            vec![ViolationReport]
        ]
    );
    let kept = reports("");
    assert_eq!(labels_of(&kept, text)[0], [ViolationReport]);
}

#[test]
fn a_hyphenated_compound_is_matched_by_its_parts() {
    let source =
        "[[term]]\ntopic = \"neutrality_warning\"\nweight = 0.8\nterms = [\"polri netral\"]\n";
    let classifier = Classifier::builder()
        .lexicon_toml(source, "compound.toml")
        .build()
        .unwrap();
    let article = classifier.classify("Anggota TNI-Polri netral selama pemilu.");
    assert_eq!(article.labels, [NeutralityWarning]);
    let span = &article.paragraphs[0].evidence[0].spans[0];
    assert_eq!(span.text, "Polri netral");
    assert_eq!(&article.text()[span.start..span.end], "Polri netral");
}

#[test]
fn list_items_after_a_colon_carry_the_topics_of_their_head() {
    let source = |share: &str| {
        format!(
            "[settings]\nlist_carry_over = {share}\n\n\
             [[term]]\ntopic = \"neutrality_pledge\"\nweight = 0.8\nterms = [\"ikrar\"]\n"
        )
    };
    let text = "Para kepala desa membacakan ikrar berikut:\n\n1. Menjaga persatuan.\n\n2) Melayani warga.\n\n- Hadir tepat waktu.\n\nAcara ditutup dengan doa.\n\n3. Pulang bersama.";
    let labels = |share: &str| {
        let classifier = Classifier::builder()
            .lexicon_toml(&source(share), "list.toml")
            .build()
            .unwrap();
        let article = classifier.classify(text);
        let labels: Vec<bool> = article
            .paragraphs
            .iter()
            .map(|p| p.labels.contains(&NeutralityPledge))
            .collect();
        let marker = article.paragraphs[1]
            .evidence
            .iter()
            .find(|e| e.fired == Fired::ListItem)
            .map(|e| &text[e.spans[0].start..e.spans[0].end]);
        (labels, marker)
    };
    // The items right after the head carry its topic; a paragraph that is
    // no item ends the list, and a later numbered line is no item of it.
    assert_eq!(
        labels("0.9"),
        (vec![true, true, true, true, false, false], Some("1."))
    );
    assert_eq!(
        labels("0"),
        (vec![true, false, false, false, false, false], None)
    );
}

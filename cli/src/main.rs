//! The `warta` command-line tool.

fn main() {
    let classifier = warta::Classifier::default();
    let _ = classifier.classify("");
}

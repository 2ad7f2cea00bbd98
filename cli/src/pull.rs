//! Which way the records reach the workers: inputs that are all regular
//! files are read by the workers themselves ([`warta::stream::map_pulled`]),
//! any other by a reader thread ([`warta::stream::map_ordered`]): a pipe or
//! a terminal may pause for as long as it likes, and a worker that held it
//! would hold back the records it has read. Both give their results as a
//! [`warta::stream::BatchEnds`].

/// Whether every input named in `names` is a regular file (`-` is
/// standard input, which is not).
pub fn all_regular_files(names: &[String]) -> bool {
    !names.is_empty()
        && names
            .iter()
            .all(|name| name != "-" && std::fs::metadata(name).is_ok_and(|m| m.is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read_by_the_workers() {
        let dir = std::env::temp_dir();
        let file = dir.join(format!("warta-pull-{}.jsonl", std::process::id()));
        std::fs::write(&file, "{}\n").unwrap();
        let file = file.to_str().unwrap().to_owned();
        assert!(all_regular_files(std::slice::from_ref(&file)));
        assert!(!all_regular_files(&[file.clone(), "-".to_owned()]));
        assert!(!all_regular_files(&[dir.to_str().unwrap().to_owned()]));
        assert!(!all_regular_files(&[]));
        std::fs::remove_file(&file).unwrap();
    }
}

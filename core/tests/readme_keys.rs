//! The README documents every link key each platform accepts.

const README: &str = include_str!("../../README.md");

fn assert_documented(platform: &str, keys: &str) {
    for key in keys.split(", ") {
        assert!(
            README.contains(&format!("| `{key}` |")),
            "README.md has no row for the {platform} key `{key}`"
        );
    }
}

#[test]
fn every_flink_key_has_a_readme_row() {
    assert_documented("flink", waymark_core::flink::scenario::KEYS);
}

#[test]
fn every_hdinsight_key_has_a_readme_row() {
    assert_documented("hdinsight", waymark_core::hdinsight::KEYS);
}

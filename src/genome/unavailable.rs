//! The entry points of a build without the `genome` feature: the same signatures, failing with
//! FEATURE_UNAVAILABLE naming "genome", so that callers need no `cfg` of their own.

use super::summary::{GenomeFormat, GenomeSummary, ParseOptions};
use crate::error::{BioxenError, Result};

fn unavailable<T>(operation: &str) -> Result<T> {
    Err(BioxenError::feature_unavailable("genome", operation))
}

/// Detect the format of a genome file: needs the `genome` feature.
pub fn detect(_data: &[u8]) -> Result<GenomeFormat> {
    unavailable("genome format detection")
}

/// Parse a genome file: needs the `genome` feature.
pub fn parse(_input: &[u8], _options: &ParseOptions) -> Result<GenomeSummary> {
    unavailable("genome parsing")
}

/// [`parse`] with progress: needs the `genome` feature.
pub fn parse_with_progress(
    _input: &[u8],
    _options: &ParseOptions,
    _progress: &mut dyn FnMut(f64),
) -> Result<GenomeSummary> {
    unavailable("genome parsing")
}

#[cfg(test)]
mod tests {
    use super::{detect, parse, parse_with_progress};
    use crate::error::BioxenError;
    use crate::genome::workload::GenomeWorkload;

    fn names_genome(e: &BioxenError) -> bool {
        matches!(
            e,
            BioxenError::FeatureUnavailable {
                feature: "genome",
                ..
            }
        )
    }

    /// Every entry point, and a workload given as data.
    #[test]
    fn parsing_and_genome_workloads_need_the_genome_feature() {
        let gff = b"##gff-version 3\n";
        for e in [
            parse(gff, &Default::default()).unwrap_err(),
            parse_with_progress(gff, &Default::default(), &mut |_| {}).unwrap_err(),
            detect(gff).unwrap_err(),
            GenomeWorkload::from_json(serde_json::json!({})).unwrap_err(),
        ] {
            assert_eq!(e.code(), "FEATURE_UNAVAILABLE");
            assert!(names_genome(&e), "{e:?}");
        }
    }
}

//! Values of `run`'s flags that need more than a number: `--freeze` and
//! `--scale`.

/// A built-in `--freeze` can fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frozen {
    /// `{date}`.
    Date,
    /// `{run_id}`.
    RunId,
}

/// `--freeze NAME=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freeze {
    /// Which built-in.
    pub name: Frozen,
    /// Its value in every template of the run.
    pub value: String,
}

/// `date=2026-01-31` or `run_id=docs`.
pub fn parse_freeze(s: &str) -> Result<Freeze, String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE (date=2026-01-31, run_id=docs), got {s:?}"))?;
    let name = match name.trim() {
        "date" => {
            let b = value.as_bytes();
            let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
            if !(b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && digits(0..4)
                && digits(5..7)
                && digits(8..10))
            {
                return Err(format!("date must be YYYY-MM-DD, got {value:?}"));
            }
            Frozen::Date
        }
        "run_id" => {
            if value.is_empty() {
                return Err("run_id must not be empty".into());
            }
            Frozen::RunId
        }
        other => {
            return Err(format!(
                "{other:?} is not a built-in that can be frozen: expected date or run_id"
            ))
        }
    };
    Ok(Freeze {
        name,
        value: value.to_string(),
    })
}

/// `--scale`: a device scale factor from 0.5 to 4.
pub fn parse_scale(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.5..=4.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a device scale factor from 0.5 to 4, got {s:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freeze_takes_a_date_or_a_run_id_only() {
        assert_eq!(
            parse_freeze("date=2026-01-31"),
            Ok(Freeze {
                name: Frozen::Date,
                value: "2026-01-31".into()
            })
        );
        assert_eq!(
            parse_freeze("run_id=docs").map(|f| f.name),
            Ok(Frozen::RunId)
        );
        assert!(parse_freeze("date=31/01/2026").is_err());
        assert!(parse_freeze("date=2026-1-31").is_err());
        assert!(parse_freeze("customer=acme").is_err());
        assert!(parse_freeze("run_id=").is_err());
        assert!(parse_freeze("date").is_err());
    }

    #[test]
    fn scales_are_sensible() {
        assert_eq!(parse_scale("2"), Ok(2.0));
        assert_eq!(parse_scale("1.5"), Ok(1.5));
        assert!(parse_scale("0").is_err());
        assert!(parse_scale("8").is_err());
        assert!(parse_scale("two").is_err());
    }
}

//! The report in words: how `cargo xtask audit` prints an [`AuditReport`] (its JSON is the `Serialize` derive).

use std::fmt;

use super::{AuditReport, Difference, DifferenceKind};

impl DifferenceKind {
    fn describe(self) -> &'static str {
        use DifferenceKind::*;
        match self {
            OperationOnlyOurs => "operation only in ours",
            OperationOnlyUpstream => "operation only upstream",
            ParameterOnlyOurs => "parameter only in ours",
            ParameterOnlyUpstream => "parameter only upstream",
            ParameterType => "parameter type differs",
            ParameterRequired => "parameter required differs",
            ParameterDefault => "parameter default differs",
            ParameterStyle => "parameter serialization differs",
            RequestBodyOnlyOurs => "request body only in ours",
            RequestBodyOnlyUpstream => "request body only upstream",
            RequestBodyType => "request body type differs",
            ResponseOnlyOurs => "response status only in ours",
            ResponseOnlyUpstream => "response status only upstream",
            ResponseType => "response body type differs",
            FieldOnlyOurs => "field only in ours",
            FieldOnlyUpstream => "field only upstream",
            FieldType => "field type differs",
            EnumOnlyOurs => "enum only in ours (upstream allows any value)",
            EnumOnlyUpstream => "enum only upstream (we allow any value)",
            EnumValueOnlyOurs => "enum value only in ours",
            EnumValueOnlyUpstream => "enum value only upstream",
            ModelName => "paired with a differently named upstream model",
            ModelRenamed => "renamed upstream",
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind.describe())?;
        let sides: Vec<String> = [("ours", &self.ours), ("upstream", &self.upstream)]
            .into_iter()
            .filter_map(|(side, value)| value.as_ref().map(|value| format!("{side} {value}")))
            .collect();
        if !sides.is_empty() {
            write!(f, " ({})", sides.join(", "))?;
        }
        if let Some(why) = &self.why {
            write!(f, "\n      why: {why}")?;
        }
        Ok(())
    }
}

impl fmt::Display for AuditReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sections = [
            ("findings", &self.findings),
            (
                "intentional (explained by x-differs-from-upstream)",
                &self.intentional,
            ),
        ];
        for (title, differences) in sections {
            if differences.is_empty() {
                continue;
            }
            writeln!(f, "{title}:")?;
            for difference in differences {
                writeln!(f, "  {difference}")?;
            }
        }
        writeln!(
            f,
            "{} findings, {} intentional",
            self.findings.len(),
            self.intentional.len()
        )
    }
}

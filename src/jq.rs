//! jq filters over JSON values, through jaq (pure: no I/O).
//!
//! Used by `--jq` on every data command and by `health --filter`. A filter is
//! compiled once, before any request is sent, so a typo fails fast with the
//! position of the error.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use serde::Deserialize;
use serde_json::{Map, Number, Value};

/// A jq filter that failed to compile or to run.
#[derive(Debug, thiserror::Error)]
pub enum JqError {
    /// The program does not parse or names an unknown filter.
    #[error("invalid jq filter: {message}\n  {code}\n  {caret}")]
    Compile {
        /// What is wrong.
        message: String,
        /// The program as given.
        code: String,
        /// A caret line pointing at the error.
        caret: String,
    },
    /// The program failed on its input.
    #[error("jq filter failed: {0}")]
    Runtime(String),
}

/// A compiled jq program.
pub struct JqFilter {
    filter: jaq_core::Filter<data::JustLut<Val>>,
}

impl std::fmt::Debug for JqFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JqFilter")
    }
}

impl JqFilter {
    /// Compiles `code`. Errors carry the byte offset of the problem.
    pub fn compile(code: &str) -> Result<Self, JqError> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let modules = Loader::new(defs)
            .load(&arena, File { code, path: () })
            .map_err(|errs| load_error(code, errs))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| {
                let mut first_offset = None;
                let message = errs
                    .into_iter()
                    .flat_map(|(_file, es)| es)
                    .map(|(sym, undef)| {
                        first_offset.get_or_insert(jaq_core::load::span(code, sym).start);
                        format!("undefined {} `{sym}`", undef.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                compile_error(code, message, first_offset.unwrap_or(0))
            })?;
        Ok(Self { filter })
    }

    /// Every output of the program for `input`, or the first runtime error.
    pub fn run(&self, input: &Value) -> Result<Vec<Value>, JqError> {
        let input = Val::deserialize(input).map_err(|e| JqError::Runtime(e.to_string()))?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        self.filter
            .id
            .run((ctx, input))
            .map(unwrap_valr)
            .map(|r| {
                r.map_err(|e| JqError::Runtime(strip_quotes(&e.to_string())))
                    .and_then(|v| from_val(&v).map_err(JqError::Runtime))
            })
            .collect()
    }

    /// `jq -e` truthiness: at least one output, and the last is neither
    /// `null` nor `false`. A runtime error counts as "not true".
    pub fn holds(&self, input: &Value) -> bool {
        match self.run(input) {
            Ok(outputs) => outputs
                .last()
                .is_some_and(|v| !matches!(v, Value::Null | Value::Bool(false))),
            Err(_) => false,
        }
    }
}

/// Renders one jq output the way `jq -r` does: strings raw, the rest as JSON.
pub fn output_line(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn strip_quotes(s: &str) -> String {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
        .to_string()
}

fn compile_error(code: &str, message: String, offset: usize) -> JqError {
    let column = code[..offset.min(code.len())].chars().count();
    JqError::Compile {
        message: format!("{message} (at offset {offset})"),
        code: code.to_string(),
        caret: format!("{}^", " ".repeat(column)),
    }
}

fn load_error(code: &str, errs: jaq_core::load::Errors<&str, ()>) -> JqError {
    use jaq_core::load::Error;
    let mut first_offset = None;
    let mut at = |found: &str| {
        let offset = jaq_core::load::span(code, found).start;
        first_offset.get_or_insert(offset);
        offset
    };
    let message = errs
        .into_iter()
        .flat_map(|(_file, e)| match e {
            Error::Io(es) => es
                .into_iter()
                .map(|(p, e)| format!("cannot load {p}: {e}"))
                .collect::<Vec<_>>(),
            Error::Lex(es) => es
                .into_iter()
                .map(|(expected, found)| {
                    format!("expected {}", expected.as_str()) + &located(at(found))
                })
                .collect(),
            Error::Parse(es) => es
                .into_iter()
                .map(|(expected, found)| {
                    format!("expected {}", expected.as_str()) + &located(at(found))
                })
                .collect(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let offset = first_offset.unwrap_or(0);
    let column = code[..offset.min(code.len())].chars().count();
    JqError::Compile {
        message,
        code: code.to_string(),
        caret: format!("{}^", " ".repeat(column)),
    }
}

fn located(offset: usize) -> String {
    format!(" at offset {offset}")
}

fn from_val(v: &Val) -> Result<Value, String> {
    use jaq_json::Num;
    Ok(match v {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(Num::Int(i)) => Value::from(*i as i64),
        Val::Num(Num::Float(f)) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Val::Num(n @ (Num::BigInt(_) | Num::Dec(_))) => {
            serde_json::from_str(&n.to_string()).map_err(|e| e.to_string())?
        }
        Val::TStr(b) | Val::BStr(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
        Val::Arr(a) => Value::Array(a.iter().map(from_val).collect::<Result<_, _>>()?),
        Val::Obj(o) => {
            let mut m = Map::new();
            for (k, v) in o.iter() {
                let k = match k {
                    Val::TStr(b) | Val::BStr(b) => String::from_utf8_lossy(b).into_owned(),
                    other => other.to_string(),
                };
                m.insert(k, from_val(v)?);
            }
            Value::Object(m)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn runs_marathon_documents_filter() {
        let app = json!({"tasks": [
            {"id": "a", "healthCheckResults": [{"alive": true}]},
            {"id": "b", "healthCheckResults": [{"alive": false}]}
        ]});
        let f =
            JqFilter::compile(".tasks[].healthCheckResults[] | select(.alive == false)").unwrap();
        assert_eq!(f.run(&app).unwrap(), vec![json!({"alive": false})]);
    }

    #[test]
    fn truthiness_follows_jq_e() {
        let input = json!({"n": 2});
        assert!(JqFilter::compile(".n >= 2").unwrap().holds(&input));
        assert!(!JqFilter::compile(".n > 2").unwrap().holds(&input));
        assert!(!JqFilter::compile("empty").unwrap().holds(&input));
        assert!(!JqFilter::compile(".missing").unwrap().holds(&input));
        assert!(!JqFilter::compile(".n | .[0]").unwrap().holds(&input));
    }

    #[test]
    fn compile_error_points_at_offset() {
        let err = JqFilter::compile(".tasks[").unwrap_err().to_string();
        assert!(err.contains("offset 7"), "{err}");
        assert!(err.contains("       ^"), "{err}");
        let err = JqFilter::compile("nosuchfn(1)").unwrap_err().to_string();
        assert!(err.contains("undefined filter `nosuchfn`"), "{err}");
    }

    #[test]
    fn keeps_key_order_and_raw_strings() {
        let f = JqFilter::compile(".labels | keys_unsorted | .[]").unwrap();
        let out = f.run(&json!({"labels": {"Z": "1", "A": "2"}})).unwrap();
        assert_eq!(out.iter().map(output_line).collect::<Vec<_>>(), ["Z", "A"]);
    }
}

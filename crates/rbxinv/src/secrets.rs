//! The credentials rbxinv sends: from a flag, a file or the environment, and never echoed, not even in clap's
//! own usage errors.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;

use clap::ArgMatches;
use clap::parser::ValueSource;

use crate::args::Global;
use crate::failure::Failure;

/// The flags that take a secret as their value.
const SECRET_FLAGS: [&str; 3] = ["--api-key", "--oauth-token", "--cookie"];

/// The longest credential file read: a cookie is some 1,000 bytes, a key or token less.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// The three credentials, each optional.
#[derive(Default)]
pub struct Secrets {
    pub api_key: Option<String>,
    pub oauth_token: Option<String>,
    pub cookie: Option<String>,
}

/// Where one credential may come from on the command line.
struct Given<'a> {
    value: Option<&'a str>,
    file: Option<&'a Path>,
    /// The flag of the file, for errors: `--api-key-file`.
    file_flag: &'static str,
}

impl Given<'_> {
    fn read(&self) -> Result<Option<String>, Failure> {
        let flag = self.file_flag;
        if let (Some(_), Some(_)) = (self.value, self.file) {
            let value_flag = flag.trim_end_matches("-file");
            return Err(Failure::Usage(format!(
                "{value_flag} and {flag} cannot be used together"
            )));
        }
        if let Some(value) = self.value {
            return Ok(Some(value.to_owned()).filter(|value| !value.is_empty()));
        }
        let Some(path) = self.file else {
            return Ok(None);
        };
        let failed = |why: String| Failure::Usage(format!("{flag} {}: {why}", path.display()));
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
            .map_err(|error| failed(error.to_string()))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(failed(format!(
                "larger than {MAX_FILE_BYTES} bytes, too large to hold a credential"
            )));
        }
        let secret = text.trim();
        if secret.is_empty() {
            return Err(failed("the file is empty".to_owned()));
        }
        Ok(Some(secret.to_owned()))
    }
}

impl Secrets {
    /// The credentials clap took from the environment (`ROBLOX_API_KEY`, `ROBLOX_OAUTH_TOKEN`, `ROBLOSECURITY`),
    /// moved out of `global`, so that what remains there is what the command line passed.
    pub fn take_environment(global: &mut Global, matches: &ArgMatches) -> Self {
        let from_env = |id: &str, value: &mut Option<String>| {
            if matches.value_source(id) == Some(ValueSource::EnvVariable) {
                value.take().filter(|value| !value.is_empty())
            } else {
                None
            }
        };
        Self {
            api_key: from_env("api_key", &mut global.api_key),
            oauth_token: from_env("oauth_token", &mut global.oauth_token),
            cookie: from_env("cookie", &mut global.cookie),
        }
    }

    /// What the command line passed, as values or files (after [`Secrets::take_environment`]).
    pub fn explicit(global: &Global) -> Result<Self, Failure> {
        let api_key = Given {
            value: global.api_key.as_deref(),
            file: global.api_key_file.as_deref(),
            file_flag: "--api-key-file",
        };
        let oauth_token = Given {
            value: global.oauth_token.as_deref(),
            file: global.oauth_token_file.as_deref(),
            file_flag: "--oauth-token-file",
        };
        let cookie = Given {
            value: global.cookie.as_deref(),
            file: global.cookie_file.as_deref(),
            file_flag: "--cookie-file",
        };
        Ok(Self {
            api_key: api_key.read()?,
            oauth_token: oauth_token.read()?,
            cookie: cookie.read()?,
        })
    }

    /// Each credential the command line did not pass, from `environment`.
    pub fn or(self, environment: Secrets) -> Self {
        Self {
            api_key: self.api_key.or(environment.api_key),
            oauth_token: self.oauth_token.or(environment.oauth_token),
            cookie: self.cookie.or(environment.cookie),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.api_key.is_none() && self.oauth_token.is_none() && self.cookie.is_none()
    }
}

/// `text` (an error about the command line `args`) with the value of every secret flag in `args` replaced by
/// `***`, wherever it appears.
pub fn redact(text: &str, args: &[OsString]) -> String {
    let mut values: Vec<String> = Vec::new();
    let mut args = args.iter().map(|arg| arg.to_string_lossy());
    while let Some(arg) = args.next() {
        for flag in SECRET_FLAGS {
            if arg == flag {
                values.extend(args.next().map(|value| value.into_owned()));
                break;
            }
            if let Some(value) = arg
                .strip_prefix(flag)
                .and_then(|rest| rest.strip_prefix('='))
            {
                values.push(value.to_owned());
                break;
            }
        }
    }
    // Longest first, so that a secret containing another is replaced whole.
    values.retain(|value| !value.is_empty());
    values.sort_by_key(|value| std::cmp::Reverse(value.len()));
    values.iter().fold(text.to_owned(), |text, value| {
        text.replace(value.as_str(), "***")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn every_form_of_a_secret_flag_is_redacted() {
        let argv = args(&[
            "rbxinv",
            "--api-key",
            "-key-value",
            "--cookie=cookie-value",
            "--oauth-token",
            "token-value",
            "items",
        ]);
        let text = "bad '-key-value' then cookie-value and token-value; tip: use '-- -key-value'";
        assert_eq!(
            redact(text, &argv),
            "bad '***' then *** and ***; tip: use '-- ***'"
        );
        assert_eq!(
            redact("nothing secret", &args(&["rbxinv", "--api-key"])),
            "nothing secret"
        );
    }

    #[test]
    fn a_credential_file_is_read_trimmed_and_bounded() {
        let dir = std::env::temp_dir().join(format!("rbxinv-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        fn given(path: &Path) -> Given<'_> {
            Given {
                value: None,
                file: Some(path),
                file_flag: "--api-key-file",
            }
        }
        let key = dir.join("key");
        std::fs::write(&key, "the-key\n").unwrap();
        assert_eq!(
            given(&key).read().ok().flatten().as_deref(),
            Some("the-key")
        );

        let empty = dir.join("empty");
        std::fs::write(&empty, "\n").unwrap();
        let huge = dir.join("huge");
        std::fs::write(&huge, vec![b'k'; MAX_FILE_BYTES as usize + 1]).unwrap();
        for (path, expected) in [
            (&empty, "is empty"),
            (&huge, "too large"),
            (&dir.join("missing"), "--api-key-file"),
        ] {
            match given(path).read() {
                Err(Failure::Usage(message)) => {
                    assert!(message.contains(expected), "{message}");
                    assert!(message.starts_with("--api-key-file "), "{message}");
                }
                _ => panic!("{} was accepted", path.display()),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

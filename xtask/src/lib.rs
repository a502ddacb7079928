//! Workspace automation. Generation lives in this library so that tests can call it.

pub mod assumptions;
pub mod audit;
pub mod bench;
pub mod citations;
pub mod diff;
pub mod drift;
pub mod extend;
pub mod generate;
pub mod model_schemas;
pub mod open_enums;
pub mod operations;
pub mod prepare;
pub mod regen;
pub mod specs;
pub mod summary;
pub mod walk;

use std::path::PathBuf;

/// The workspace's top folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

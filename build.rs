//! Rebuilds the binary when the shipped theme or locale tables change: `briefing init`
//! embeds them.

fn main() {
    println!("cargo:rerun-if-changed=themes/briefing");
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=src/init/starter");
}

namespace Interstice.Cli.Commands.Init;

/// <summary>The files of a new module project: a cdylib crate built for wasm32 with a small working example.</summary>
internal static class ModuleTemplate
{
    /// <summary>Relative path and content of each file, for module <paramref name="name"/> using the SDK at <paramref name="sdkPath"/>.</summary>
    public static IReadOnlyList<(string Path, string Content)> Files(string name, string sdkPath) =>
    [
        ("Cargo.toml", CargoToml(name, sdkPath)),
        (Path.Combine(".cargo", "config.toml"), CargoConfig),
        (".gitignore", "/target\n"),
        (Path.Combine("src", "lib.rs"), LibRs.Replace("{name}", name, StringComparison.Ordinal)),
    ];

    // The release profile matches modules/Cargo.toml, so that builds can share compiled dependencies.
    private static string CargoToml(string name, string sdkPath) => $"""
        [package]
        name = "{name}"
        version = "0.1.0"
        edition = "2021"

        [lib]
        crate-type = ["cdylib"]

        [dependencies]
        interstice-sdk = {"{"} path = "{sdkPath.Replace("\\", "/", StringComparison.Ordinal)}" {"}"}

        [profile.release]
        lto = true
        strip = "debuginfo"
        codegen-units = 1
        panic = "abort"

        [profile.dev]
        panic = "abort"

        """;

    private const string CargoConfig = """
        # Interstice modules are WebAssembly: `cargo build --release` writes
        # target/wasm32-unknown-unknown/release/<name>.wasm
        [build]
        target = "wasm32-unknown-unknown"

        """;

    private const string LibRs = """
        //! The `{name}` Interstice module. Build it with `cargo build --release`, then look at its
        //! interface with `interstice schema target/wasm32-unknown-unknown/release/<name>.wasm`.

        use interstice_sdk::prelude::*;

        interstice_module!();

        /// A message someone posted.
        #[table]
        #[derive(Debug, Clone, PartialEq)]
        pub struct Messages {
            #[primary_key(auto_inc)]
            pub id: u64,
            #[index(hash)]
            pub author: String,
            pub text: String,
            pub posted_at: Timestamp,
        }

        /// Runs once, when the module is first loaded on a node.
        #[reducer(on = "init")]
        fn setup(ctx: ReducerContext) {
            ctx.log.info("{name} is ready");
        }

        /// Posts a message.
        #[reducer]
        fn post(ctx: ReducerContext, author: String, text: String) -> Result<(), String> {
            if text.is_empty() {
                return Err("a message needs some text".to_string());
            }
            ctx.current.messages().insert(Messages { id: 0, author, text, posted_at: ctx.time() })?;
            Ok(())
        }

        /// The messages of one author.
        #[query]
        fn by_author(ctx: QueryContext, author: String) -> Vec<Messages> {
            ctx.current.messages().by_author().filter(&author).collect()
        }

        """;
}

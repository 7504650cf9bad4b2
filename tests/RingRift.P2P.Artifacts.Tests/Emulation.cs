namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// Building the arm64 executable on an x64 machine (Debian's cross gcc) and running it: qemu's user-mode emulator with
/// Debian's arm64 sysroot (scripts/test-deps.sh installs all three). Tests that need it carry the trait <c>Category=Arm64</c>: test.sh
/// leaves them out, saying so, when either is missing, unless <c>RINGRIFT_ARM64_TESTS=required</c> (CI),
/// and then they fail naming what is missing.
/// </summary>
public static class Emulation
{
    public const string Category = "Arm64";
    public const string Sysroot = "/usr/aarch64-linux-gnu";
    private const string Emulator = "qemu-aarch64-static";
    private const string CrossCompiler = "aarch64-linux-gnu-gcc";

    /// <summary>The emulator on the PATH, or null.</summary>
    public static string? Qemu { get; } = OnPath(Emulator);

    /// <summary>The emulator, the sysroot's dynamic loader and the cross compiler (scripts/release.sh) are there.</summary>
    public static bool Available => Qemu is not null && File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")) && OnPath(CrossCompiler) is not null;

    private static string? OnPath(string program) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>CI asks for the arm64 tests: they run, and fail when they cannot.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("RINGRIFT_ARM64_TESTS") == "required";

    /// <summary>Whether the release build for the tests includes the arm64 executable.</summary>
    public static bool Wanted => Available || Required;

    /// <summary>Why the emulator cannot run, for a failure message; null when it can.</summary>
    public static string? Missing =>
        Qemu is null ? $"{Emulator} is not on the PATH (apt-get install qemu-user-static, or run scripts/test-deps.sh)"
        : !File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")) ? $"no arm64 sysroot at {Sysroot} (apt-get install libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross, or run scripts/test-deps.sh)"
        : OnPath(CrossCompiler) is null ? $"{CrossCompiler} is not on the PATH (apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross, or run scripts/test-deps.sh)"
        : null;

    /// <summary>The emulator and its arguments, before the arm64 executable and the executable's own arguments.</summary>
    public static IReadOnlyList<string> Command => [Qemu ?? throw new InvalidOperationException(Missing), "-L", Sysroot];
}

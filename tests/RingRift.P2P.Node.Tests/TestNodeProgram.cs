namespace RingRift.P2P.Node.Tests;

/// <summary>
/// The node program the process-level tests start: this build's (null: <c>ProgramLocation.Current()</c>), or, with
/// <c>RINGRIFT_TEST_NODE_PROGRAM=PATH</c>, another one, e.g. the natively compiled release executable
/// (<c>scripts/release.sh</c>), so the same tests check the program an operator runs (docs/testing.md).
/// </summary>
internal static class TestNodeProgram
{
    public static string? Path { get; } = Environment.GetEnvironmentVariable("RINGRIFT_TEST_NODE_PROGRAM") is { Length: > 0 } given
        ? System.IO.Path.GetFullPath(given)
        : null;
}

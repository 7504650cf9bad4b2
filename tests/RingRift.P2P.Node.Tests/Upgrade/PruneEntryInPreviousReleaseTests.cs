using System.Reflection;
using System.Runtime.Loader;
using RingRift.P2P.Raft;

namespace RingRift.P2P.Node.Tests.Upgrade;

/// <summary>
/// A Raft member of the previous release (<see cref="RollingUpgradeTests.PreviousRelease"/>, built from git
/// history) beside a leader of this one: the log entry holding a prune command is, to its codec, a format error —
/// the one failure its state machine catches, logs (event 5002) and skips the entry for — and the entries around
/// it, which never share the prune's entry, read as before. Its own codec is loaded from its build, in a context of its own.
/// </summary>
[Trait("Category", "Upgrade")]
public sealed class PruneEntryInPreviousReleaseTests
{
    private delegate object DecodeBatch(ReadOnlySpan<byte> bytes);

    [Fact]
    public async Task ThePreviousReleasesCodec_RefusesAPruneEntryAsAFormatError_AndStillReadsTheEntriesAroundIt()
    {
        var dll = await PreviousBuild.DllAsync(RollingUpgradeTests.PreviousRelease);
        var context = new PreviousReleaseContext(Path.GetDirectoryName(dll)!);
        try
        {
            var raft = context.LoadFromAssemblyName(new AssemblyName("RingRift.P2P.Raft"));
            Assert.NotEqual(typeof(WorkCommandCodec).Assembly, raft); // the previous release's, not this build's
            var method = raft.GetType("RingRift.P2P.Raft.WorkCommandCodec", throwOnError: true)!.GetMethod("DecodeBatch")!;
            var decode = (DecodeBatch)Delegate.CreateDelegate(typeof(DecodeBatch), method);

            var prune = WorkCommandCodec.EncodeBatch([new PruneWork("p1", 1_700_000_000, ["w1", "w2"])]);
            var error = Assert.ThrowsAny<Exception>(() => decode(prune));
            Assert.Equal("RingRift.P2P.Raft.WorkCommandFormatException", error.GetType().FullName);
            Assert.Contains("type byte 15 is not a known command", error.Message);

            var around = WorkCommandCodec.EncodeBatch([new CancelWork("c1", 1_700_000_000, "w1"), new RequeueTimedOut("c2", 1_700_000_001)]);
            Assert.Equal(2, ((System.Collections.ICollection)decode(around)).Count);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Resolves the previous release's own assemblies from its build folder, and the framework's from the default context.</summary>
    private sealed class PreviousReleaseContext(string folder) : AssemblyLoadContext("previous-release", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            return name.Name!.StartsWith("RingRift.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}

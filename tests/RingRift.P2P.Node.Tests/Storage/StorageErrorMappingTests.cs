using RingRift.P2P.Node.Api;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Node.Tests.Storage;

/// <summary>How the API answers a write that failed for lack of space (no root needed: the exceptions are built here).</summary>
public sealed class StorageErrorMappingTests
{
    [Fact]
    public void StorageFullException_Is507InsufficientStorage_WithItsMessage()
    {
        var full = new StorageFullException("/data/work_queue.db", "no space left on device for /data/work_queue.db (filesystem /data (ext4): 0 of 10 bytes free)");

        var (status, code, message) = ErrorHandling.Map(full);

        Assert.Equal(507, status);
        Assert.Equal("INSUFFICIENT_STORAGE", code);
        Assert.Equal(full.Message, message);
    }

    [Fact]
    public void ARawEnospc_DeepInAnotherException_Is507_ButAnUnknownRaftOutcomeStaysCommitUnknown()
    {
        var enospc = new IOException("No space left on device : '/data/jobs/running/j1.json.tmp'", OutOfSpace.Enospc);

        Assert.Equal((507, "INSUFFICIENT_STORAGE"), Status(new InvalidOperationException("step failed", enospc)));
        // The Raft log may still commit a command whose replication broke: the caller must retry with its id, not give up.
        Assert.Equal((503, "COMMIT_UNKNOWN"), Status(new Raft.Node.RaftCommitUnknownException("replication did not finish", enospc)));
        Assert.Equal((500, "INTERNAL"), Status(new InvalidOperationException("step failed", new IOException("I/O error", 5))));
    }

    private static (int, string) Status(Exception error)
    {
        var (status, code, _) = ErrorHandling.Map(error);
        return (status, code);
    }
}

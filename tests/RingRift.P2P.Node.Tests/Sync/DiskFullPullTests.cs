using System.Collections.Concurrent;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Storage;
using RingRift.P2P.Testing.Storage;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>
/// A pull into a data dir on a small tmpfs that fills up mid-transfer (the up-front space check passed:
/// something else took the room since): the pull fails at once as <see cref="SyncFailure.DiskSpace"/> naming
/// the file and the filesystem, without retrying, flags the node's storage, keeps the <c>.partial</c>, and
/// resumes from it once the filesystem has room again.
/// </summary>
[Trait("Category", TmpfsMount.Category)]
public sealed class DiskFullPullTests
{
    [Fact]
    public async Task RunningOutOfSpaceMidPull_FailsAtOnceAsDiskSpace_AndResumesWhenSpaceReturns()
    {
        const int size = 3_000_000;
        using var remote = new TempDir("remote");
        var sha = remote.WriteRandom("games/c/big.bin", size);
        var ranges = new ConcurrentQueue<string>();
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/sync/file") ranges.Enqueue(ctx.Request.Headers.Range.ToString());
            await next(ctx);
        }));
        await using var mount = await TmpfsMount.CreateAsync(2048);
        var storage = new StorageHealth(mount.Path, reserveBytes: 0, TimeProvider.System);
        using var client = new DataSync(new SyncOptions
        {
            DataDir = mount.Path,
            NodeId = "client",
            RetryDelay = TimeSpan.Zero,
            PullAttempts = 3,
            FreeSpaceReserveBytes = 0,
            FreeSpaceReservePercent = 0,
        }, new ClusterToken(null), diskSpace: _ => new DiskSpace(1L << 40, 1L << 41), storage: storage);
        var entry = (await server.Sync.LocalManifestAsync(null, CancellationToken.None)).Files.Single(f => f.Path == "games/c/big.bin");

        var error = await Assert.ThrowsAsync<SyncException>(() => client.PullAsync(server.BaseUri, entry));

        Assert.Equal(SyncFailure.DiskSpace, error.Failure);
        Assert.Contains($"no space left on device for {Path.Combine(mount.Path, "games/c/big.bin.partial")}", error.Message);
        Assert.Contains($"filesystem {mount.Path} (tmpfs)", error.Message);
        Assert.Single(ranges); // a full disk is not retried
        Assert.True(storage.IsFull);
        Assert.EndsWith("games/c/big.bin.partial", storage.Current.Path);
        var partial = new FileInfo(Path.Combine(mount.Path, "games/c/big.bin.partial"));
        Assert.InRange(partial.Length, 1, size - 1);

        await mount.ResizeAsync(8192);
        var result = await client.PullAsync(server.BaseUri, entry);

        Assert.Equal(PullOutcome.Downloaded, result.Outcome);
        Assert.Equal(sha, SyncTestData.Sha256Hex(File.ReadAllBytes(Path.Combine(mount.Path, "games/c/big.bin"))));
        Assert.Equal($"bytes={partial.Length}-", ranges.Last()); // resumed from the .partial
        Assert.True(storage.TryRecover());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>Pulling files from a peer: verified, resumable, refused when corrupt or when the disk is full.</summary>
public sealed class PullTests
{
    private static async Task<ManifestEntry> EntryAsync(SyncServer server, string path) =>
        (await server.Sync.LocalManifestAsync(null, CancellationToken.None)).Files.Single(f => f.Path == path);

    [Fact]
    public async Task Pull_DownloadsVerifiesAndRenames_KeepingThePeersMtime()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        var sha = remote.WriteRandom("games/hex8_2p/a.jsonl", 1_000_000);
        await using var server = await SyncServer.StartAsync(remote.Path);
        using var client = SyncTestData.Client(local.Path);
        var entry = await EntryAsync(server, "games/hex8_2p/a.jsonl");

        var result = await client.PullAsync(server.BaseUri, entry);

        Assert.Equal(PullOutcome.Downloaded, result.Outcome);
        Assert.Equal(1_000_000, result.BytesTransferred);
        Assert.Equal(sha, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/hex8_2p/a.jsonl"))));
        Assert.False(File.Exists(local.Full("games/hex8_2p/a.jsonl.partial")));
        Assert.Equal(entry.Mtime, new DateTimeOffset(File.GetLastWriteTimeUtc(local.Full("games/hex8_2p/a.jsonl"))).ToUnixTimeSeconds());
        var status = client.GetStatus();
        Assert.Equal(1, status.Totals.Files);
        Assert.Equal(1_000_000, status.Totals.Bytes);
        Assert.Equal("games/hex8_2p/a.jsonl", Assert.Single(status.Completed).Path);
    }

    [Fact]
    public async Task Pull_SkipsTheTransfer_WhenTheLocalFileHasTheSameSha256()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("models/c/m.bin", 5000, seed: 3);
        local.WriteRandom("models/c/m.bin", 5000, seed: 3);
        var served = 0;
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/sync/file") Interlocked.Increment(ref served);
            await next(ctx);
        }));
        using var client = SyncTestData.Client(local.Path);

        var result = await client.PullAsync(server.BaseUri, await EntryAsync(server, "models/c/m.bin"));

        Assert.Equal(PullOutcome.AlreadyPresent, result.Outcome);
        Assert.Equal(0, served);
    }

    [Fact]
    public async Task Pull_ResumesAfterACut_WithRange_AndOnlyTheRemainderIsResent()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        const int size = 4_000_000;
        const int cutAfter = 1_500_000;
        var sha = remote.WriteRandom("games/c/big.bin", size);
        var requests = new ConcurrentQueue<(string Range, long Sent)>();
        var cut = 0;
        var partial = local.Full("games/c/big.bin.partial");
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path != "/sync/file") { await next(ctx); return; }
            // The cut comes once the client has written bytes to its .partial, so there is something to resume from.
            var counting = new CountingStream(ctx.Response.Body, Interlocked.Exchange(ref cut, 1) == 0 ? cutAfter : long.MaxValue, async () =>
            {
                await Eventually.Until(() => new FileInfo(partial).Length, length => length > 0, "the client to write the first bytes to its .partial");
                ctx.Abort();
            });
            ctx.Response.Body = counting;
            try { await next(ctx); }
            finally { requests.Enqueue((ctx.Request.Headers.Range.ToString(), counting.Written)); }
        }));
        using var client = SyncTestData.Client(local.Path);

        var result = await client.PullAsync(server.BaseUri, await EntryAsync(server, "games/c/big.bin"));

        Assert.Equal(sha, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/c/big.bin"))));
        // The server records a request after its last byte has gone out, which can be after the client has it all.
        var sent = await Eventually.Until(() => requests.ToArray(), recorded => recorded.Length >= 2, "the server to record both requests");
        Assert.Equal(2, sent.Length);
        Assert.Equal("", sent[0].Range);
        Assert.Equal(cutAfter, sent[0].Sent); // the cut: the connection was aborted after this many bytes
        var resumedFrom = long.Parse(sent[1].Range["bytes=".Length..^1]);
        Assert.InRange(resumedFrom, 1, cutAfter); // resumed from what reached the .partial
        Assert.Equal(size - resumedFrom, sent[1].Sent); // only the remainder was sent again
        Assert.Equal(size, result.BytesTransferred);
    }

    [Fact]
    public async Task Pull_BytesThatDoNotMatchTheManifestHash_AreRejected_AndThePartialDeleted()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("games/c/a.bin", 100_000, seed: 1);
        await using var server = await SyncServer.StartAsync(remote.Path);
        var entry = await EntryAsync(server, "games/c/a.bin");
        var corrupt = File.ReadAllBytes(remote.Full("games/c/a.bin"));
        corrupt[50_000] ^= 0xFF; // same size, one flipped byte: the peer serves bytes its manifest does not describe
        var actual = remote.Write("games/c/a.bin", corrupt);
        using var client = SyncTestData.Client(local.Path);

        var ex = await Assert.ThrowsAsync<SyncException>(() => client.PullAsync(server.BaseUri, entry));

        Assert.Equal(SyncFailure.Integrity, ex.Failure);
        Assert.Contains("games/c/a.bin", ex.Message);
        Assert.Contains(entry.Sha256, ex.Message);
        Assert.Contains(actual, ex.Message);
        Assert.False(File.Exists(local.Full("games/c/a.bin.partial")));
        Assert.False(File.Exists(local.Full("games/c/a.bin")));
        Assert.Equal(1, client.GetStatus().Totals.Failures);
    }

    [Fact]
    public async Task Pull_IsRefusedBeforeAnyTransfer_WhenTheFileWouldNotFitWithTheReserve()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("games/c/a.bin", 5000);
        var served = 0;
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/sync/file") Interlocked.Increment(ref served);
            await next(ctx);
        }));
        using var client = SyncTestData.Client(local.Path, disk: _ => new DiskSpace(FreeBytes: 100, TotalBytes: 1000));

        var ex = await Assert.ThrowsAsync<SyncException>(async () => await client.PullAsync(server.BaseUri, await EntryAsync(server, "games/c/a.bin")));

        Assert.Equal(SyncFailure.DiskSpace, ex.Failure);
        Assert.Contains("games/c/a.bin", ex.Message);
        Assert.Contains("5000 bytes", ex.Message);
        Assert.Contains("100 bytes are free", ex.Message);
        Assert.Equal(0, served);
        Assert.False(File.Exists(local.Full("games/c/a.bin.partial")));
    }

    [Theory]
    [InlineData(503, 3, SyncFailure.Transfer)] // a peer's error is worth another attempt: all three are made
    [InlineData(404, 1, SyncFailure.NotAvailable)] // a refusal is an answer: one attempt
    [InlineData(403, 1, SyncFailure.Transfer)]
    public async Task Pull_RetriesBrokenTransfersOnly_UpToItsAttempts(int status, int expectedRequests, SyncFailure failure)
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("games/c/a.bin", 1000);
        var requests = 0;
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path != "/sync/file") { await next(ctx); return; }
            Interlocked.Increment(ref requests);
            ctx.Response.StatusCode = status;
        }));
        using var client = SyncTestData.Client(local.Path, attempts: 3);

        var ex = await Assert.ThrowsAsync<SyncException>(async () => await client.PullAsync(server.BaseUri, await EntryAsync(server, "games/c/a.bin")));

        Assert.Equal(failure, ex.Failure);
        Assert.Equal(expectedRequests, requests);
        if (expectedRequests > 1) Assert.Contains("failed after 3 attempts", ex.Message);
        Assert.Contains($"answered {status}", ex.Message);
        Assert.Equal(ex.Message, Assert.Single(client.GetStatus().Failed).Error);
    }

    [Fact]
    public void DiskReserve_IsTheLargerOfBytesAndPercent()
    {
        var options = new SyncOptions { DataDir = "d", NodeId = "n" };
        Assert.Equal(1L << 30, options.ReserveFor(10L << 30)); // 5 % of 10 GiB = 0.5 GiB < 1 GiB
        Assert.Equal(5L << 30, options.ReserveFor(100L << 30)); // 5 % of 100 GiB = 5 GiB
    }

    [Fact]
    public async Task Pull_AnEntryWithATraversalPathIsRefused()
    {
        using var local = new TempDir("local");
        using var client = SyncTestData.Client(local.Path);
        var ex = await Assert.ThrowsAsync<SyncException>(() =>
            client.PullAsync(new Uri("http://127.0.0.1:1/"), new ManifestEntry("games/../../etc/passwd", 10, new string('a', 64), 0)));
        Assert.Equal(SyncFailure.InvalidEntry, ex.Failure);
        Assert.Contains("games/../../etc/passwd", ex.Message);
    }

    [Fact]
    public async Task Pull_WithoutTheClusterToken_FailsNamingTheStatus()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("games/c/a.bin", 100);
        await using var server = await SyncServer.StartAsync(remote.Path, token: "s3cret");
        var entry = await EntryAsync(server, "games/c/a.bin");

        using var stranger = SyncTestData.Client(local.Path, token: "wrong");
        var ex = await Assert.ThrowsAsync<SyncException>(() => stranger.PullAsync(server.BaseUri, entry));
        Assert.Contains("401", ex.Message);

        using var member = SyncTestData.Client(local.Path, token: "s3cret");
        Assert.Equal(PullOutcome.Downloaded, (await member.PullAsync(server.BaseUri, entry)).Outcome);
    }

    [Fact]
    public async Task Pull_HonoursTheBandwidthLimit_Loosely()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("games/c/a.bin", 3_000_000);
        await using var server = await SyncServer.StartAsync(remote.Path);
        var entry = await EntryAsync(server, "games/c/a.bin");
        using var client = SyncTestData.Client(local.Path, bandwidth: 2_000_000); // burst 0.5 MB, then 2 MB/s

        var clock = Stopwatch.StartNew();
        await client.PullAsync(server.BaseUri, entry);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.1), $"3 MB at 2 MB/s took only {clock.Elapsed}"); // ≥ (3 − 0.5) / 2 = 1.25 s
    }

    [Fact]
    public async Task PullMatching_FetchesWhatPeersHaveUnderThePrefix_AndEnsureFileFindsTheModel()
    {
        using var a = new TempDir("a");
        using var b = new TempDir("b");
        using var local = new TempDir("local");
        var g1 = a.WriteRandom("games/hex8_2p/1.jsonl", 2000, seed: 1);
        var g2 = b.WriteRandom("games/hex8_2p/2.jsonl", 3000, seed: 2);
        b.WriteRandom("games/sq8_3p/other.jsonl", 100, seed: 3);
        var same = local.WriteRandom("games/hex8_2p/3.jsonl", 50, seed: 4);
        a.WriteRandom("games/hex8_2p/3.jsonl", 50, seed: 4);
        var model = b.WriteRandom("models/hex8_2p/best.bin", 4000, seed: 5);
        await using var serverA = await SyncServer.StartAsync(a.Path, nodeId: "a");
        await using var serverB = await SyncServer.StartAsync(b.Path, nodeId: "b");
        using var client = SyncTestData.Client(local.Path);
        SyncPeer[] peers = [new("a", serverA.BaseUri), new("b", serverB.BaseUri), new("gone", new Uri("http://127.0.0.1:1/"))];

        var batch = await client.PullMatchingAsync(peers, "games/hex8_2p/");

        Assert.True(batch.Succeeded);
        Assert.Equal(["games/hex8_2p/1.jsonl", "games/hex8_2p/2.jsonl"], batch.Pulled.Select(p => p.Path).Order());
        Assert.Equal(["gone"], batch.UnreachablePeers);
        Assert.Equal(g1, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/hex8_2p/1.jsonl"))));
        Assert.Equal(g2, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/hex8_2p/2.jsonl"))));
        Assert.Equal(same, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/hex8_2p/3.jsonl"))));
        Assert.False(File.Exists(local.Full("games/sq8_3p/other.jsonl")));

        var pulled = await client.EnsureFileAsync(peers, "models/hex8_2p/best.bin", model);
        Assert.Equal(PullOutcome.Downloaded, pulled.Outcome);
        Assert.Equal(serverB.BaseUri.GetLeftPart(UriPartial.Authority), pulled.Peer);
        Assert.Equal(PullOutcome.AlreadyPresent, (await client.EnsureFileAsync(peers, "models/hex8_2p/best.bin", model)).Outcome);

        var missing = await Assert.ThrowsAsync<SyncException>(() => client.EnsureFileAsync(peers, "models/hex8_2p/best.bin", new string('0', 64)));
        Assert.Equal(SyncFailure.NotAvailable, missing.Failure);
    }

    [Fact]
    public async Task Pull_AStalePartialThatDoesNotVerify_IsDiscardedAndTheFileFetchedWhole()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        var sha = remote.WriteRandom("games/c/a.bin", 200_000, seed: 1);
        local.WriteRandom("games/c/a.bin.partial", 50_000, seed: 2); // left from an older version of the peer's file
        var ranges = new ConcurrentQueue<string>();
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/sync/file") ranges.Enqueue(ctx.Request.Headers.Range.ToString());
            await next(ctx);
        }));
        using var client = SyncTestData.Client(local.Path);

        var result = await client.PullAsync(server.BaseUri, await EntryAsync(server, "games/c/a.bin"));

        Assert.Equal(PullOutcome.Downloaded, result.Outcome);
        Assert.Equal(sha, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/c/a.bin"))));
        Assert.Equal(["bytes=50000-", ""], ranges.ToArray()); // resumed, failed to verify, then one fresh download
    }

    [Fact]
    public async Task PullMatching_KeepsALocalCopyNewerThanThePeers()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("games/c/a.jsonl", 100, seed: 1);
        remote.WriteRandom("games/c/b.jsonl", 100, seed: 2);
        File.SetLastWriteTimeUtc(remote.Full("games/c/a.jsonl"), DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(remote.Full("games/c/b.jsonl"), DateTime.UtcNow.AddHours(-1));
        var mine = local.WriteRandom("games/c/a.jsonl", 120, seed: 3); // newer than the peer's: kept
        local.WriteRandom("games/c/b.jsonl", 120, seed: 4);
        File.SetLastWriteTimeUtc(local.Full("games/c/b.jsonl"), DateTime.UtcNow.AddHours(-3)); // older: replaced
        var theirs = SyncTestData.Sha256Hex(File.ReadAllBytes(remote.Full("games/c/b.jsonl")));
        await using var server = await SyncServer.StartAsync(remote.Path, nodeId: "peer");
        using var client = SyncTestData.Client(local.Path);

        var batch = await client.PullMatchingAsync([new SyncPeer("peer", server.BaseUri)], "games/c");

        Assert.Equal(["games/c/b.jsonl"], batch.Pulled.Select(p => p.Path));
        Assert.Equal(mine, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/c/a.jsonl"))));
        Assert.Equal(theirs, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("games/c/b.jsonl"))));
    }

    /// <summary>Counts bytes written; after <c>limit</c> bytes it flushes, runs <c>cut</c> (which aborts the connection) and throws.</summary>
    private sealed class CountingStream(Stream inner, long limit, Func<Task> cut) : WriteOnlyStream(inner)
    {
        public long Written { get; private set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            var allowed = (int)Math.Min(buffer.Length, limit - Written);
            if (allowed > 0)
            {
                await Inner.WriteAsync(buffer[..allowed], ct);
                Written += allowed;
            }
            if (allowed < buffer.Length)
            {
                await Inner.FlushAsync(ct);
                await cut();
                throw new OperationCanceledException("cut");
            }
        }
    }
}

using System.Collections.Concurrent;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>
/// A peer that stops sending without closing the connection (a cut link or a frozen host: no reset ever arrives):
/// after <see cref="SyncOptions.StallTimeout"/> without a byte the pull gives the connection up, keeps what arrived,
/// shows the break in its status, and resumes with a Range request; when every attempt stalls the pull fails naming the stall.
/// </summary>
public sealed class PullStallTests
{
    private const int Size = 1_000_000;
    private const int Hold = 300_000;
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task APeerThatFallsSilent_IsGivenUpAfterTheStallTimeout_AndThePullResumesWhereItStopped()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        var sha = remote.WriteRandom("models/c/m.bin", Size);
        var ranges = new ConcurrentQueue<string>();
        DataSync? client = null;
        PullProgress? atRetry = null;
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path != "/sync/file") { await next(ctx); return; }
            ranges.Enqueue(ctx.Request.Headers.Range.ToString());
            if (ranges.Count == 1) ctx.Response.Body = new HoldingStream(ctx.Response.Body, Hold, ctx.RequestAborted); // falls silent
            else atRetry = client!.GetStatus().InProgress.Single(); // what the status shows while the retry runs
            await next(ctx);
        }));
        client = SyncTestData.Client(local.Path, stall: Stall);
        using var owned = client;
        var entry = (await server.Sync.LocalManifestAsync(null, CancellationToken.None)).Files.Single();

        var result = await client.PullAsync(server.BaseUri, entry);

        Assert.Equal(sha, SyncTestData.Sha256Hex(File.ReadAllBytes(local.Full("models/c/m.bin"))));
        Assert.Equal(["", $"bytes={Hold}-"], ranges.ToArray()); // the bytes that arrived before the silence were kept
        Assert.Equal(Size, result.BytesTransferred);
        Assert.Equal(2, atRetry!.Attempt);
        Assert.Equal($"stalled: no data from {server.BaseUri.GetLeftPart(UriPartial.Authority)} for 1 s (RINGRIFT_SYNC_STALL_TIMEOUT) at byte {Hold} of {Size}; " +
            "the connection was given up", atRetry.LastError);
        var record = Assert.Single(client.GetStatus().Completed);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(Size, record.BytesTransferred);
    }

    [Fact]
    public async Task WhenEveryAttemptStalls_ThePullFailsNamingTheStall_AndKeepsThePartial()
    {
        using var remote = new TempDir("remote");
        using var local = new TempDir("local");
        remote.WriteRandom("models/c/m.bin", Size);
        await using var server = await SyncServer.StartAsync(remote.Path, hook: app => app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/sync/file") ctx.Response.Body = new HoldingStream(ctx.Response.Body, Hold, ctx.RequestAborted);
            await next(ctx);
        }));
        using var client = SyncTestData.Client(local.Path, attempts: 2, stall: Stall);
        var entry = (await server.Sync.LocalManifestAsync(null, CancellationToken.None)).Files.Single();

        var error = await Assert.ThrowsAsync<SyncException>(() => client.PullAsync(server.BaseUri, entry));

        Assert.Equal(SyncFailure.Transfer, error.Failure);
        Assert.Contains("failed after 2 attempts: stalled: no data from", error.Message);
        Assert.Contains($"at byte {2 * Hold} of {Size}", error.Message); // each attempt kept what it got
        Assert.Equal(2 * Hold, new FileInfo(local.Full("models/c/m.bin.partial")).Length);
        var record = Assert.Single(client.GetStatus().Failed);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(error.Message, record.Error);
    }

    /// <summary>Passes <c>limit</c> bytes on and flushes them, then accepts nothing more until the client goes away: the connection stays open and silent.</summary>
    private sealed class HoldingStream(Stream inner, long limit, CancellationToken clientGone) : WriteOnlyStream(inner)
    {
        private long _written;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            var allowed = (int)Math.Min(buffer.Length, limit - _written);
            if (allowed > 0)
            {
                await Inner.WriteAsync(buffer[..allowed], ct);
                _written += allowed;
            }
            if (allowed < buffer.Length)
            {
                await Inner.FlushAsync(ct);
                await Task.Delay(Timeout.Infinite, clientGone); // ends (throwing) once the client has given the connection up
            }
        }
    }
}

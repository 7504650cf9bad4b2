using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Data sync over a real link cut halfway (issue 16 §1): two node processes in two network namespaces; node-1 holds a
/// 16 MiB model and its link is limited to 10 Mbit/s (a <c>tbf</c> qdisc on its interface); node-2 runs evaluation
/// jobs, so an evaluation of that model makes node-2 pull it before the job starts, as in production. Once half has
/// arrived the link is cut both ways (nftables drops, no reset reaches either side) and held until the pull gives the
/// silent connection up (<c>RINGRIFT_SYNC_STALL_TIMEOUT</c>, 5 s here) and tries again; then healed. The pull must
/// go on from its <c>.partial</c>: only the remainder crosses the link, and the file verifies against the holder's
/// manifest. Trait <c>Category=Netns</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class SyncCutNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int FileSize = 16 << 20;
    private const string ModelPath = "models/hex8_2p/cut-halfway.bin";
    private const int LimitKbit = 10_000;

    /// <summary>Tolerance on the measured rate: tbf's bucket (62.5 kB) over a window of seconds, heartbeats and status reads.</summary>
    private const double RateTolerance = 1.10;

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-sync-").FullName;
    private NetnsTestBed? _bed;

    public void Dispose()
    {
        _bed?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task PullOver10Mbit_CutHalfway_GivesTheSilentConnectionUp_ResumesWithOnlyTheRemainder_AndTheFileVerifies()
    {
        var bed = _bed = NetnsTestBed.Create(2);
        var (holderHost, pullerHost) = (bed.Hosts[0], bed.Hosts[1]);
        var sha = WriteModel(Path.Combine(_root, "node-1", ModelPath));
        var jobs = Path.Combine(_root, "evaluation-jobs.yaml");
        File.WriteAllText(jobs, "jobs:\n  evaluation:\n    command: [\"/bin/sh\", \"-c\", \"exit 0\"]\n    slots: cpu\n");
        var settings = new Dictionary<string, string?>
        {
            ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.5",
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = "3",
            ["RINGRIFT_P2P_LEADER_LEASE"] = "6",
            ["RINGRIFT_P2P_GPU_COUNT"] = "0",
            ["RINGRIFT_SYNC_RESERVE_MB"] = "1",
            ["RINGRIFT_SYNC_STALL_TIMEOUT"] = "5",
        };
        List<string> Args(NetnsHost other) => ["--peers", $"{other.Address}:{NetnsNode.HttpPort}", "--voters", "node-1,node-2"];
        var holder = NetnsNode.Start(bed, holderHost, Args(pullerHost), _root, NodeProgram.Current, settings);
        var puller = NetnsNode.Start(bed, pullerHost, [.. Args(holderHost), "--jobs", jobs], _root, NodeProgram.Current, settings);
        await Task.WhenAll(holder.WaitUntilServingAsync(), puller.WaitUntilServingAsync());
        await Eventually.Until(async () => (await puller.GetJsonAsync("/work/status"))["leader_id"]?.GetValue<string>() is not null,
            "a leader serving the queue, read through node-2", NetnsNode.ProcessWait);
        var listed = (await holder.GetJsonAsync("/sync/manifest?prefix=models/"))["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == ModelPath)!;
        Assert.Equal(sha, listed["sha256"]!.GetValue<string>()); // the manifest the pull verifies against
        bed.LimitBandwidth(holderHost, LimitKbit);

        var partial = Path.Combine(_root, "node-2", ModelPath + ".partial");
        using var sampler = new PullSampler(puller, ModelPath);
        void Log(string what) => output.WriteLine($"{sampler.Elapsed.TotalSeconds,6:F2} s  {what}");
        var sentBefore = holder.Process.LinkBytes().Sent;
        var (added, answer) = await puller.PostJsonAsync("/work/add", new JsonObject
        {
            ["work_type"] = "evaluation",
            ["config"] = new JsonObject { ["model_path"] = ModelPath },
            ["max_attempts"] = 5,
        });
        Assert.True(added == 200, $"node-2 answered the evaluation's add with {added}: {answer}");

        // Halfway: cut both ways.
        var half = await Eventually.Until(() => sampler.Latest, s => s?.BytesDone >= FileSize / 2, "node-2's pull to pass half the file", NetnsNode.ProcessWait);
        bed.Partition(holderHost, pullerHost);
        Assert.True(File.Exists(partial), "the pull ended before the cut: the link is not limited");
        var atCut = new FileInfo(partial).Length;
        Log($"cut with {atCut} bytes in the .partial (status: {half!.BytesDone}, attempt {half.Attempt})");
        Assert.Equal(1, half.Attempt); // nothing broke before the cut

        // The limit was really applied: what node-2's host received from the first MiB (past TCP's slow start) to the cut.
        var before = sampler.Samples.Where(s => s.BytesDone >= 1 << 20 && s.At <= half.At).ToList();
        var (first, last) = (before[0], before[^1]);
        var megabits = (last.LinkReceived - first.LinkReceived) * 8 / 1e6 / (last.At - first.At).TotalSeconds;
        Log($"received {megabits:F2} Mbit/s over {(last.At - first.At).TotalSeconds:F1} s before the cut (limit {LimitKbit / 1000} Mbit/s)");
        Assert.InRange(megabits, 0.1, LimitKbit / 1000.0 * RateTolerance);
        Assert.True((last.At - first.At).TotalSeconds >= 2, $"the rate window is only {(last.At - first.At).TotalSeconds:F2} s");

        // Held until the pull gives the silent connection up and tries again.
        var retry = await Eventually.Until(() => sampler.Latest, s => s?.Attempt >= 2, "node-2's pull to give the cut connection up and try again", NetnsNode.ProcessWait);
        bed.Heal(holderHost, pullerHost);
        Log($"healed; the pull is on attempt {retry!.Attempt} after: {retry.LastError}");
        Assert.Contains("stalled: no data from http://" + holderHost.Address, retry.LastError);
        Assert.Contains("for 5 s (RINGRIFT_SYNC_STALL_TIMEOUT)", retry.LastError); // the node took the stall timeout from its environment

        var done = await Eventually.Until<JsonNode?>(async () => (await puller.GetJsonAsync("/sync/status"))["completed"]!.AsArray()
                .FirstOrDefault(p => p!["path"]!.GetValue<string>() == ModelPath),
            p => p is not null, "node-2's pull to complete", NetnsNode.ProcessWait);
        Log($"pulled: {done!.ToJsonString()}");
        var status = await puller.GetJsonAsync("/sync/status");
        var sent = holder.Process.LinkBytes().Sent - sentBefore;
        Log($"node-1's interface sent {sent} bytes for the {FileSize}-byte file ({(double)sent / FileSize:F3}x); node-1 /sync/status totals: {(await holder.GetJsonAsync("/sync/status"))["totals"]!.ToJsonString()}");

        // Resumed, not restarted: the .partial only grew, one pull made it in several attempts, and every byte came once.
        var present = sampler.Samples.Where(s => s.BytesDone is not null).Select(s => s.BytesDone!.Value).ToList();
        Assert.True(present.Zip(present.Skip(1)).All(p => p.Second >= p.First), "the pull's bytes present went down: it started over");
        Assert.Empty(status["failed"]!.AsArray());
        Assert.InRange(done["attempts"]!.GetValue<int>(), 2, 3);
        Assert.Equal(FileSize, done["bytes_transferred"]!.GetValue<long>());
        Assert.Equal(FileSize, status["totals"]!["bytes"]!.GetValue<long>());
        // The holder's side, from the kernel: the file once, plus headers and retransmissions; sending it again after the cut would be 1.5x.
        Assert.InRange(sent, FileSize, (long)(FileSize * 1.25));

        // The file verifies against the holder's manifest, and the puller now lists it with that hash.
        var pulled = Path.Combine(_root, "node-2", ModelPath);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(pulled))));
        Assert.False(File.Exists(partial));
        var mine = (await puller.GetJsonAsync("/sync/manifest?prefix=models/"))["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == ModelPath)!;
        Assert.Equal(sha, mine["sha256"]!.GetValue<string>());
    }

    /// <summary>Writes <see cref="FileSize"/> random bytes (incompressible, so the link carries all of them); returns their sha256.</summary>
    private static string WriteModel(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[FileSize];
        new Random(16).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}

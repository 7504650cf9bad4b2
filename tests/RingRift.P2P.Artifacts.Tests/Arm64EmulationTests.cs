using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Ports;
using Xunit.Abstractions;

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// The arm64 executable (GH200 nodes) on this x64 machine under qemu's user-mode emulation: it starts,
/// serves /status with the release's version, and forms a two-node cluster with the x64 executable in
/// which work crosses between the architectures both ways.
/// </summary>
[Collection(ReleaseCollection.Name)]
[Trait("Category", Emulation.Category)]
public sealed class Arm64EmulationTests(ReleaseBuild release, ITestOutputHelper output)
{
    /// <summary>
    /// Heartbeat 1 s, a peer dead after 10 s of silence, lease 15 s: emulation runs code many times slower, and
    /// a node must not be declared dead or lose its lease while the emulator compiles a path for the first time.
    /// </summary>
    private static readonly Dictionary<string, string> EmulatedTimings = new()
    {
        ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "1",
        ["RINGRIFT_P2P_PEER_TIMEOUT"] = "10",
        ["RINGRIFT_P2P_LEADER_LEASE"] = "15",
        ["RINGRIFT_P2P_GPU_COUNT"] = "0",
    };

    /// <summary>Bound of the emulated node's start and of each cluster step (about 15 s each when the machine is quiet).</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Arm64Node_UnderEmulation_JoinsAnX64Node_AndWorkCrossesBothWays()
    {
        Assert.True(Emulation.Available, $"cannot emulate arm64: {Emulation.Missing}");
        Assert.True(File.Exists(release.Arm64), $"no {release.Arm64}");
        var folder = release.Scratch("arm64");
        var ports = TestPorts.Free(2);
        // Bully: the highest node id among the alive voters leads, so the arm64 node leads and the x64 node follows.
        const string Arm64Id = "node-2-arm64", X64Id = "node-1-x64";
        var env = new Dictionary<string, string>(EmulatedTimings);

        using var arm64 = NodeProcess.Start(Arm64Id, release.Arm64, ports[1], Data(folder, Arm64Id), [$"127.0.0.1:{ports[0]}"], env, Emulation.Command);
        var startup = await arm64.WaitServingAsync(Wait);
        output.WriteLine($"arm64 under qemu served /status {startup.TotalSeconds:0.0} s after the start");
        var status = (await arm64.GetAsync("status")).Json!;
        Assert.Equal(ReleaseBuild.ExpectedVersion, status["version"]!.GetValue<string>());
        Assert.Equal(Arm64Id, status["node_id"]!.GetValue<string>());

        using var x64 = NodeProcess.Start(X64Id, release.X64, ports[0], Data(folder, X64Id), [$"127.0.0.1:{ports[1]}"], EmulatedTimings);
        await x64.WaitServingAsync(Wait);

        // One cluster: both name the arm64 node leader, and it serves the queue (taken over with a majority of the two voters: both).
        await arm64.WaitAsync(async () => (await arm64.GetAsync("status")).Json,
            s => Leader(s) == Arm64Id && s?["alive_peers"]?.GetValue<int>() == 1 && s?["work_queue"]?["is_leader"]?.GetValue<bool>() == true,
            "leading with its peer alive and serving the queue", Wait);
        await x64.WaitAsync(async () => (await x64.GetAsync("status")).Json, s => Leader(s) == Arm64Id && s?["alive_peers"]?.GetValue<int>() == 1,
            $"naming {Arm64Id} leader with its peer alive", Wait);
        Assert.Equal("leader", (await arm64.GetAsync("status")).Json!["role"]!.GetValue<string>());
        Assert.Equal("follower", (await x64.GetAsync("status")).Json!["role"]!.GetValue<string>());

        // x64 → arm64: added and claimed through the x64 follower (relayed to the arm64 leader), claimed for the x64 node.
        await AddAsync(x64, "cross-1");
        await ClaimAsync(x64, X64Id, "cross-1");
        // arm64 → x64: added and claimed through the arm64 leader for the arm64 node, acknowledged only once the x64 voter holds it.
        await AddAsync(arm64, "cross-2");
        await ClaimAsync(arm64, Arm64Id, "cross-2");

        // Each read back through the other node.
        var one = (await arm64.GetAsync("work/cross-1")).Json!;
        var two = (await x64.GetAsync("work/cross-2")).Json!;
        Assert.Equal(("claimed", X64Id), (one["status"]!.GetValue<string>(), one["claimed_by"]!.GetValue<string>()));
        Assert.Equal(("claimed", Arm64Id), (two["status"]!.GetValue<string>(), two["claimed_by"]!.GetValue<string>()));
    }

    private static string Data(string folder, string nodeId)
    {
        var path = Path.Combine(folder, nodeId);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string? Leader(JsonNode? status) => status?["leader_id"]?.GetValue<string>();

    /// <summary>
    /// Retries a call answered 503 (the API's "retry these": a push the emulated leader could not get acknowledged
    /// within its 2 s request timeout while it runs a path for the first time, say) for up to <see cref="Wait"/>;
    /// returns the last answer and whether any attempt was answered 503.
    /// </summary>
    private async Task<(int Code, JsonNode? Body, bool Retried)> RetryUnavailableAsync(string what, Func<Task<(int Status, JsonNode? Json)>> call)
    {
        var started = DateTime.UtcNow;
        var retried = false;
        while (true)
        {
            var (code, body) = await call();
            if (code != 503 || DateTime.UtcNow - started > Wait) return (code, body, retried);
            output.WriteLine($"{what}: 503 {body?.ToJsonString()}; retrying");
            retried = true;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private async Task AddAsync(NodeProcess through, string workId)
    {
        var (code, body, retried) = await RetryUnavailableAsync($"add {workId} through {through.NodeId}",
            () => through.PostAsync("work/add", new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay" }));
        var keptByAnEarlierTry = retried && code == 409 && body?["code"]?.GetValue<string>() == "DUPLICATE_WORK_ID";
        Assert.True(code == 200 || keptByAnEarlierTry, $"add {workId} through {through.NodeId}: {code} {body?.ToJsonString()}\n{through.Process.Tail()}");
    }

    /// <summary>
    /// Claims through <paramref name="through"/> for <paramref name="forNode"/>, expecting <paramref name="workId"/>; an answer
    /// with nothing to claim passes only after a 503 (that claim may have been kept: the reads afterwards check it was).
    /// </summary>
    private async Task ClaimAsync(NodeProcess through, string forNode, string workId)
    {
        var (code, body, retried) = await RetryUnavailableAsync($"claim through {through.NodeId} for {forNode}",
            () => through.GetAsync($"work/claim?node_id={forNode}&capabilities=selfplay"));
        var claimed = body?["status"]?.GetValue<string>() == "claimed" ? body["work"]?["work_id"]?.GetValue<string>() : null;
        Assert.True(code == 200 && (claimed == workId || (claimed is null && retried)),
            $"claim through {through.NodeId} for {forNode}: {code} {body?.ToJsonString()}\n{through.Process.Tail()}");
    }
}

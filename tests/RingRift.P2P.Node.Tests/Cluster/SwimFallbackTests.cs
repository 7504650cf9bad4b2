using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// The seed's promise for SWIM: if it cannot run, the node keeps working on HTTP heartbeats and says
/// why. Real nodes in this process on 127.0.0.1 with fast timings.
/// </summary>
public sealed class SwimFallbackTests
{
    [Theory]
    [InlineData("hybrid")]
    [InlineData("swim")]
    public async Task A_taken_SWIM_port_leaves_the_node_on_HTTP_heartbeats_and_status_says_why(string mode)
    {
        var swimPorts = TestPorts.Free(3);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, swimPorts[0])); // node-1's SWIM port is taken
        await using var cluster = await InProcessCluster.StartAsync(3, SwimEnv(mode), swimPorts);

        await cluster.WaitForLeaderAsync();

        var status = await Eventually.Until(async () => (await Http.GetAsync(cluster["node-1"].Url, "status")).Json!,
            s => s["alive_peers"]?.GetValue<int>() == 2, "node-1's HTTP heartbeats to see both peers", InProcessCluster.ClusterWait);
        var swim = status["swim_raft"]!["swim"]!;
        Assert.Equal(mode, status["swim_raft"]!["membership_mode"]!.GetValue<string>());
        Assert.True(swim["enabled"]!.GetValue<bool>());
        Assert.False(swim["available"]!.GetValue<bool>());
        Assert.False(swim["started"]!.GetValue<bool>());
        Assert.Contains($"127.0.0.1:{swimPorts[0]}", swim["fallback_reason"]!.GetValue<string>());

        var swimStatus = (await Http.GetAsync(cluster["node-1"].Url, "swim/status")).Json!;
        Assert.Equal(mode == "swim" ? "http" : "swim+http", swimStatus["liveness_source"]!.GetValue<string>());
        Assert.Contains("AddressAlreadyInUse", swimStatus["last_start_error"]!.GetValue<string>());

        var healthy = (await Http.GetAsync(cluster["node-2"].Url, "status")).Json!["swim_raft"]!["swim"]!;
        Assert.True(healthy["started"]!.GetValue<bool>());
    }

    [Fact]
    public async Task In_hybrid_mode_SWIM_seeing_nobody_while_HTTP_sees_peers_is_reported()
    {
        // Each node gets a SWIM port but no SWIM seeds: SWIM never joins, HTTP heartbeats do.
        await using var cluster = await InProcessCluster.StartAsync(0, SwimEnv("hybrid"));
        var ports = TestPorts.Free(2);
        var swimPorts = TestPorts.Free(2);
        await cluster.StartNodeAsync("node-1", ports[0], $"127.0.0.1:{ports[1]}", swimPorts[0]);
        await cluster.StartNodeAsync("node-2", ports[1], $"127.0.0.1:{ports[0]}", swimPorts[1]);

        await cluster.WaitForLeaderAsync("node-2");

        var status = await Eventually.Until(async () => (await Http.GetAsync(cluster["node-1"].Url, "status")).Json!,
            s => s["alive_peers"]?.GetValue<int>() == 1, "node-1's HTTP heartbeats to see node-2", InProcessCluster.ClusterWait);
        var swim = status["swim_raft"]!["swim"]!;
        Assert.True(swim["started"]!.GetValue<bool>());
        Assert.Equal(0, swim["alive_count"]!.GetValue<int>());
        Assert.StartsWith("SWIM sees no peer alive while HTTP heartbeats see 1;", swim["fallback_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_hybrid_mode_with_SWIM_joined_there_is_no_fallback_and_members_carry_HTTP_endpoints()
    {
        var swimPorts = TestPorts.Free(3);
        await using var cluster = await InProcessCluster.StartAsync(3, SwimEnv("hybrid"), swimPorts);
        await cluster.WaitForLeaderAsync();

        var swimStatus = await Eventually.Until(async () => (await Http.GetAsync(cluster["node-1"].Url, "swim/status")).Json!,
            s => s["alive_count"]?.GetValue<int>() == 2, "node-1's SWIM to see both peers alive", InProcessCluster.ClusterWait);
        Assert.Null(swimStatus["fallback_reason"]);
        Assert.Equal("swim+http", swimStatus["liveness_source"]!.GetValue<string>());
        var members = (await Http.GetAsync(cluster["node-1"].Url, "swim/members")).Json!["members"]!.AsArray();
        Assert.Equal(["node-2", "node-3"], members.Select(m => m!["node_id"]!.GetValue<string>()));
        Assert.All(members, m => Assert.Equal("alive", m!["state"]!.GetValue<string>()));
        Assert.Equal($"127.0.0.1:{cluster["node-2"].Port}", members[0]!["http_endpoint"]!.GetValue<string>());
        Assert.Equal(swimPorts[1], members[0]!["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task With_SWIM_disabled_the_swim_endpoints_answer_enabled_false()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_MEMBERSHIP_MODE"] = "swim" });

        var swimStatus = await Http.GetAsync(cluster["node-1"].Url, "swim/status");
        var members = await Http.GetAsync(cluster["node-1"].Url, "swim/members");
        var status = (await Http.GetAsync(cluster["node-1"].Url, "status")).Json!;

        Assert.Equal(200, swimStatus.Status);
        Assert.False(swimStatus.Json!["enabled"]!.GetValue<bool>());
        Assert.False(swimStatus.Json["available"]!.GetValue<bool>());
        Assert.Equal("swim", swimStatus.Json["configured_mode"]!.GetValue<string>());
        Assert.Equal("http", swimStatus.Json["membership_mode"]!.GetValue<string>());
        Assert.Equal(200, members.Status);
        Assert.Empty(members.Json!["members"]!.AsArray());
        Assert.Equal("http", status["swim_raft"]!["membership_mode"]!.GetValue<string>());
        Assert.False(status["swim_raft"]!["swim"]!["enabled"]!.GetValue<bool>());
        Assert.False(status["swim_raft"]!["swim"]!["available"]!.GetValue<bool>());
    }

    private static Dictionary<string, string?> SwimEnv(string mode) => new(InProcessCluster.SteadyTimings)
    {
        ["RINGRIFT_SWIM_ENABLED"] = "true",
        ["RINGRIFT_MEMBERSHIP_MODE"] = mode,
    };
}

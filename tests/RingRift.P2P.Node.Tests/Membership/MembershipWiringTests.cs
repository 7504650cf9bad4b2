using Microsoft.Extensions.Hosting;
using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Tests.Membership;

/// <summary>
/// RINGRIFT_SWIM_ENABLED × RINGRIFT_MEMBERSHIP_MODE at the wiring level: which view the node registers
/// as its <see cref="IMembershipView"/> (and so which one the election reads), and whether a SWIM
/// socket is opened at all. Nothing is started here.
/// </summary>
public sealed class MembershipWiringTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ringrift-wiring-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Theory]
    [InlineData(null, null, "http", typeof(PeerTable), false)]            // defaults
    [InlineData("false", "swim", "http", typeof(PeerTable), false)]       // the seed's rollback: disabled wins over the mode
    [InlineData("false", "hybrid", "http", typeof(PeerTable), false)]
    [InlineData("true", "http", "http", typeof(PeerTable), true)]         // SWIM runs alongside, HTTP decides
    [InlineData("true", "swim", "swim", typeof(SwimFirstView), true)]
    [InlineData("true", "hybrid", "hybrid", typeof(HybridMembershipManager), true)]
    public async Task The_registered_view_follows_the_flags(string? enabled, string? mode, string expectedMode, Type expectedActive, bool swimRuns)
    {
        await using var services = Build(enabled, mode, out var registrations);

        var view = services.GetRequiredService<IMembershipView>();
        var membership = Assert.IsType<NodeMembership>(view);
        Assert.Equal(expectedMode, Json.Wire(membership.Mode));
        Assert.IsType(expectedActive, membership.Active);
        Assert.Equal(swimRuns, services.GetService<SwimMembershipManager>() is not null);
        Assert.Equal(swimRuns, registrations.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SwimService)));
        Assert.Equal(expectedMode == "swim", membership.SwimDecides);
    }

    [Fact]
    public async Task The_election_and_the_voter_set_read_the_active_view()
    {
        await using var services = Build("true", "swim", out _, seeds: "127.0.0.1:1,127.0.0.1:2");
        var membership = services.GetRequiredService<NodeMembership>();

        // Not joined yet: both SWIM seeds are unknown voters, so this node alone is no majority.
        var voters = services.GetRequiredService<VoterSetProvider>().Current();
        Assert.Equal(2, membership.UnresolvedSeedCount);
        Assert.Equal(3, voters.Size);
        Assert.Same(membership, ElectionMembership(services.GetRequiredService<BullyElection>()));
    }

    [Fact]
    public async Task The_SWIM_node_gossips_this_nodes_HTTP_address_and_uses_the_cluster_token()
    {
        await using var services = Build("true", "swim", out _, token: "s3cret");
        var swim = services.GetRequiredService<SwimMembershipManager>();

        Assert.Equal(new SwimNodeMeta("127.0.0.1", 18770), SwimNodeMeta.TryDecode(swim.Options.Meta));
        Assert.True(swim.Authenticated);
        Assert.Equal("127.0.0.1", swim.Options.BindAddress);
        Assert.Equal(17947, swim.BindPort);
    }

    private ServiceProvider Build(string? enabled, string? mode, out IServiceCollection registrations, string? seeds = null, string? token = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["RINGRIFT_SWIM_ENABLED"] = enabled,
            ["RINGRIFT_MEMBERSHIP_MODE"] = mode,
            ["RINGRIFT_SWIM_BIND_PORT"] = "17947",
            ["RINGRIFT_SWIM_SEEDS"] = seeds,
            ["RINGRIFT_CLUSTER_AUTH_TOKEN"] = token,
        };
        var options = NodeOptionsResolver.Resolve(new RunFlags(NodeId: "n1", Port: 18770, Host: "127.0.0.1", DataDir: _dataDir), env);
        Directory.CreateDirectory(options.DataDir);
        var services = new ServiceCollection().AddLogging();
        services.AddNodeCore(options).AddMembership(options).AddConsensus(options);
        registrations = services;
        return services.BuildServiceProvider();
    }

    private static object? ElectionMembership(BullyElection election) =>
        typeof(BullyElection).GetField("_membership", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(election);

    private static class Json
    {
        public static string Wire<T>(T value) where T : struct, Enum =>
            RingRift.P2P.Json.WireNames.Of<T>().First(p => EqualityComparer<T>.Default.Equals(p.Value, value)).Key;
    }
}

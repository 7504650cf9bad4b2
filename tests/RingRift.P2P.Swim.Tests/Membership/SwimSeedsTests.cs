using RingRift.P2P.Hosts;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>Join seeds (SWIM §4.1: a joining member needs one known member) from distributed_hosts.yaml and host:port lists.</summary>
public sealed class SwimSeedsTests
{
    private const string WithVoters = """
        p2p_voters: [a, b, c, ghost]
        hosts:
          a: { tailscale_ip: 100.64.0.1 }
          b: { ssh_host: root@10.0.0.2, swim_port: 7957 }
          c: { tailscale_ip: 100.64.0.3, status: offline }
          d: { tailscale_ip: 100.64.0.4 }
        """;

    [Fact]
    public void Voters_that_are_active_become_seeds_at_the_bind_port_unless_the_host_names_its_own()
    {
        DistributedHostsConfig config = DistributedHosts.Parse(WithVoters, "test.yaml");

        IReadOnlyList<SwimEndpoint> seeds = SwimSeeds.FromDistributedHosts(config, "d", 7000);

        // c is offline, ghost has no host entry, d is this node and not a voter anyway.
        Assert.Equal([new SwimEndpoint("100.64.0.1", 7000), new SwimEndpoint("10.0.0.2", 7957)], seeds);
    }

    [Fact]
    public void The_node_itself_is_never_its_own_seed()
    {
        DistributedHostsConfig config = DistributedHosts.Parse(WithVoters, "test.yaml");

        IReadOnlyList<SwimEndpoint> seeds = SwimSeeds.FromDistributedHosts(config, "a", 7947);

        Assert.Equal([new SwimEndpoint("10.0.0.2", 7957)], seeds);
    }

    [Fact]
    public void Without_voters_the_first_five_active_hosts_with_an_address_are_seeds()
    {
        string yaml = "hosts:\n" + string.Join("\n", Enumerable.Range(1, 8).Select(i =>
            i == 2 ? $"  h{i}: {{ tailscale_ip: 10.0.0.{i}, p2p_enabled: false }}"
            : i == 3 ? $"  h{i}: {{ role: x }}"
            : $"  h{i}: {{ tailscale_ip: 10.0.0.{i} }}"));
        DistributedHostsConfig config = DistributedHosts.Parse(yaml, "test.yaml");

        IReadOnlyList<SwimEndpoint> seeds = SwimSeeds.FromDistributedHosts(config, "h1", 7947);

        Assert.Equal(["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8"], seeds.Select(s => s.Address));
    }

    [Fact]
    public void FromDistributedHosts_manager_reads_the_file_and_a_missing_named_file_is_an_error()
    {
        string path = Path.Combine(Path.GetTempPath(), $"swim-seeds-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, WithVoters);
        try
        {
            var manager = SwimMembershipManager.FromDistributedHosts("d", 7100, path);

            Assert.Equal([new SwimEndpoint("100.64.0.1", 7100), new SwimEndpoint("10.0.0.2", 7957)], manager.Seeds);
            Assert.False(manager.Started);
            Assert.True(manager.Available);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<HostsFileException>(() => SwimMembershipManager.FromDistributedHosts("d", 7100, path));
    }

    [Fact]
    public void Parse_reads_a_comma_list_with_IPv6_in_brackets_and_names_a_bad_entry()
    {
        Assert.Equal([new SwimEndpoint("10.0.0.1", 7947), new SwimEndpoint("::1", 7948), new SwimEndpoint("box", 1)],
            SwimSeeds.Parse(" 10.0.0.1:7947, [::1]:7948 ,,box:1"));
        Assert.Contains("'10.0.0.1'", Assert.Throws<FormatException>(() => SwimSeeds.Parse("10.0.0.1")).Message);
    }

    [Fact]
    public async Task ResolveAsync_keeps_literals_resolves_names_and_reports_the_ones_that_fail()
    {
        var unresolved = new List<string>();

        IReadOnlyList<SwimEndpoint> resolved = await SwimSeeds.ResolveAsync(
            [new SwimEndpoint("127.0.0.1", 1), new SwimEndpoint("localhost", 2), new SwimEndpoint("no-such-host.invalid", 3)],
            System.Net.Sockets.AddressFamily.InterNetwork, unresolved);

        Assert.Equal([new SwimEndpoint("127.0.0.1", 1), new SwimEndpoint("127.0.0.1", 2)], resolved);
        Assert.Single(unresolved);
        Assert.Contains("no-such-host.invalid", unresolved[0]);
    }
}

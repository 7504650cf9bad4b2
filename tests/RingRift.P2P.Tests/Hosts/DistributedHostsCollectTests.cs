using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using Xunit;

namespace RingRift.P2P.Tests.Hosts;

/// <summary>Reading a hosts file for <c>config check</c>: every bad key with its line, the same first error start-up throws, and the line of every key read.</summary>
public sealed class DistributedHostsCollectTests
{
    private const string File = "distributed_hosts.yaml";

    private const string ManyErrors = """
        p2p_voters: [a, b, a, "bad id!"]
        hosts:
          a:
            ssh_host: root@203.0.113.10
            p2p_port: abc
            voter: maybe
          b:
            tailscale_ip: not-an-ip
            cpus: 0
            arch: sparc
          c: [1, 2]
        """;

    [Fact]
    public void Collecting_ReportsEveryBadKey_WithItsLineAndWhatIsAllowed()
    {
        var problems = ConfigProblems.Collect();

        var config = DistributedHosts.Parse(ManyErrors, File, problems);

        var errors = problems.Errors.Cast<HostsFileException>().Select(e => (e.Line, e.Key)).ToArray();
        Assert.Equal([(1, "p2p_voters[2]"), (1, "p2p_voters[3]"), (5, "hosts.a.p2p_port"), (6, "hosts.a.voter"),
            (8, "hosts.b.tailscale_ip"), (9, "hosts.b.cpus"), (10, "hosts.b.arch"), (11, "hosts.c")], errors);
        Assert.Equal("distributed_hosts.yaml line 10: key 'hosts.b.arch': expected x64 or arm64 (or amd64, x86_64, aarch64), got 'sparc'", problems.Errors[6].Message);
        // What could be read is kept: the good keys, defaults for the bad ones.
        Assert.Equal(["a", "b"], config.P2pVoters);
        Assert.Equal("root@203.0.113.10", config.Hosts["a"].SshHost);
        Assert.Equal(8770, config.Hosts["a"].P2pPort);
    }

    [Fact]
    public void Throwing_ThrowsTheFirstErrorTheCollectorReports()
    {
        var problems = ConfigProblems.Collect();
        DistributedHosts.Parse(ManyErrors, File, problems);

        var thrown = Assert.Throws<HostsFileException>(() => DistributedHosts.Parse(ManyErrors, File));

        Assert.Equal(problems.Errors[0].Message, thrown.Message);
    }

    [Fact]
    public void ASyntaxError_IsTheOnlyError_ItEndsTheFile()
    {
        var problems = ConfigProblems.Collect();

        var config = DistributedHosts.Parse("hosts:\n  a: [1, 2\n  b: {}\n", File, problems);

        Assert.Contains("invalid YAML", Assert.Single(problems.Errors).Message);
        Assert.Empty(config.Hosts);
        Assert.Equal(File, config.SourceName);
    }

    [Fact]
    public void AnUnreadableFile_IsOneError()
    {
        var problems = ConfigProblems.Collect();

        DistributedHosts.Load("/nonexistent/distributed_hosts.yaml", problems);

        Assert.StartsWith("/nonexistent/distributed_hosts.yaml: cannot read the hosts file", Assert.Single(problems.Errors).Message);
    }

    [Fact]
    public void AHostKeyCloseToOneOfOurs_IsAWarning_OtherUnknownKeysAreNot()
    {
        var problems = ConfigProblems.Collect();

        DistributedHosts.Parse("hosts:\n  a:\n    p2p_prot: 8771\n    ssh_user: root\n    gpu_count: 8\n", File, problems);

        var warning = Assert.Single(problems.Warnings);
        Assert.Equal("distributed_hosts.yaml line 3: key 'hosts.a.p2p_prot': unknown key, ignored; did you mean 'p2p_port'?", warning.ToString());
        Assert.Empty(problems.Errors);
    }

    [Fact]
    public void EveryKeyRead_KeepsItsLine_AndListItemsTheirKey()
    {
        var config = DistributedHosts.Parse("""
            defaults: &d
              swim_port: 7950
            raft_members:
              - a
              - b
            hosts:
              a:
                <<: *d
                p2p_port: 8771
              b:
                arch: aarch64
            """, File);

        Assert.Equal(2, config.LineOf("hosts.a.swim_port"));
        Assert.Equal(9, config.LineOf("hosts.a.p2p_port"));
        Assert.Null(config.LineOf("hosts.a.raft_port"));
        Assert.Equal("raft_members[1]", config.KeyOf("raft_members", "b"));
        Assert.Equal(5, config.LineOf(config.KeyOf("raft_members", "b")));
        Assert.Equal("arm64", config.Hosts["b"].Arch);
    }
}

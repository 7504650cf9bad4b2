using RingRift.P2P.Hosts;
using Xunit;

namespace RingRift.P2P.Tests.Hosts;

public sealed class DistributedHostsParseTests
{
    private const string File = "distributed_hosts.yaml";

    private static DistributedHostsConfig Parse(string yaml) => DistributedHosts.Parse(yaml, File);

    private static HostsFileException Rejects(string yaml) => Assert.Throws<HostsFileException>(() => Parse(yaml));

    [Fact]
    public void BadPort_NamesFileLineKeyAndValue()
    {
        var yaml = """
            hosts:
              vast-4090-7:
                ssh_host: root@198.51.100.77
                p2p_port: abc
            """;

        var e = Rejects(yaml);

        Assert.Equal("distributed_hosts.yaml line 4: key 'hosts.vast-4090-7.p2p_port': expected an integer from 1 to 65535, got 'abc'", e.Message);
        Assert.Equal(File, e.SourceName);
        Assert.Equal(4, e.Line);
        Assert.Equal("hosts.vast-4090-7.p2p_port", e.Key);
    }

    [Theory]
    [InlineData("p2p_port: 0", "p2p_port")]
    [InlineData("swim_port: 65536", "swim_port")]
    [InlineData("raft_port: 43.21", "raft_port")]
    [InlineData("p2p_port: [1]", "p2p_port")]
    [InlineData("voter: maybe", "voter")]
    [InlineData("p2p_enabled: {a: 1}", "p2p_enabled")]
    [InlineData("cpus: 0", "cpus")]
    [InlineData("memory_gb: -1", "memory_gb")]
    [InlineData("gpu_vram_gb: lots", "gpu_vram_gb")]
    [InlineData("tailscale_ip: not-an-ip", "tailscale_ip")]
    [InlineData("ssh_host: [a, b]", "ssh_host")]
    [InlineData("status: {x: 1}", "status")]
    public void BadHostValue_NamesTheKeyAndLine(string line, string key)
    {
        var e = Rejects($"p2p_voters: [a]\nhosts:\n  h1:\n    role: x\n    {line}\n");
        Assert.Equal($"hosts.h1.{key}", e.Key);
        Assert.Equal(5, e.Line);
        Assert.StartsWith($"distributed_hosts.yaml line 5: key 'hosts.h1.{key}': expected ", e.Message);
    }

    [Fact]
    public void SyntaxError_NamesFileAndLine()
    {
        var e = Rejects("p2p_voters:\n  - a\nhosts:\n  h1: [1, 2\n  h2: {}\n");
        Assert.StartsWith("distributed_hosts.yaml line ", e.Message);
        Assert.Contains("invalid YAML", e.Message);
        Assert.NotNull(e.Line);
        Assert.InRange(e.Line!.Value, 4, 6);
        Assert.Null(e.Key);
    }

    [Fact]
    public void TabIndentation_IsASyntaxErrorWithLine()
    {
        var e = Rejects("hosts:\n  h1:\n\tssh_host: x\n");
        Assert.Equal(3, e.Line);
        Assert.Contains("tab", e.Message);
    }

    [Fact]
    public void UnknownKeys_AreIgnoredEverywhere()
    {
        var config = Parse("""
            version: 3
            defaults: {ssh_user: root, extra: [1, 2]}
            p2p_voters: [a]
            hosts:
              a:
                ssh_host: a.example.com
                future_flag: true
                nested: {deep: {deeper: [x]}}
                p2p_port: 9000
            """);

        Assert.Equal(9000, config.Hosts["a"].P2pPort);
        Assert.Equal("a.example.com", config.Hosts["a"].Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void EmptyFile_IsAnEmptyInventory(string yaml)
    {
        var config = Parse(yaml);
        Assert.Empty(config.Hosts);
        Assert.Empty(config.Voters());
        Assert.Empty(config.ActiveHosts());
    }

    [Fact]
    public void NullSections_AreEmpty()
    {
        var config = Parse("p2p_voters:\nraft_members: ~\nhosts: null\n");
        Assert.Empty(config.P2pVoters);
        Assert.Empty(config.RaftMembers);
        Assert.Empty(config.Hosts);
    }

    [Fact]
    public void HostWithNoSettings_GetsTheDefaults()
    {
        var host = Parse("hosts:\n  bare:\n").Hosts["bare"];

        Assert.Equal("bare", host.Id);
        Assert.Equal("ready", host.Status);
        Assert.True(host.P2pEnabled);
        Assert.True(host.IsActive);
        Assert.False(host.Voter);
        Assert.False(host.TrainingEnabled);
        Assert.False(host.SelfplayEnabled);
        Assert.False(host.NatBlocked);
        Assert.Equal((8770, 7947, 4321), (host.P2pPort, host.SwimPort, host.RaftPort));
        Assert.Null(host.Address);
        Assert.Null(host.Cpus);
        Assert.Null(host.MemoryGb);
        Assert.Null(host.GpuVramGb);
    }

    [Theory]
    [InlineData("ready", true, true)]
    [InlineData("proxy_only", true, true)]
    [InlineData("Ready", true, true)]
    [InlineData("setup", true, false)]
    [InlineData("offline", true, false)]
    [InlineData("terminated", true, false)]
    [InlineData("retired", true, false)]
    [InlineData("archived", true, false)]
    [InlineData("ready", false, false)]
    [InlineData("proxy_only", false, false)]
    public void IsActive_NeedsActiveStatusAndP2pEnabled(string status, bool p2pEnabled, bool active)
    {
        var host = Parse($"hosts:\n  h:\n    status: {status}\n    p2p_enabled: {(p2pEnabled ? "true" : "false")}\n").Hosts["h"];
        Assert.Equal(active, host.IsActive);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("True", true)]
    [InlineData("OFF", false)]
    [InlineData("1", true)]
    public void Bools_AcceptYamlSpellings(string raw, bool expected) =>
        Assert.Equal(expected, Parse($"hosts:\n  h:\n    voter: {raw}\n").Hosts["h"].Voter);

    [Theory]
    [InlineData("ssh_host: ubuntu@10.0.0.5", "10.0.0.5")]
    [InlineData("ssh_host: 10.0.0.5", "10.0.0.5")]
    [InlineData("ssh_host: deploy@node.example.com", "node.example.com")]
    [InlineData("ssh_host: root@10.0.0.5\n    tailscale_ip: 100.64.0.9", "100.64.0.9")]
    [InlineData("tailscale_ip: \"fd7a:115c:a1e0::1\"", "fd7a:115c:a1e0::1")]
    public void Address_PrefersTailscaleAndStripsTheUser(string lines, string address) =>
        Assert.Equal(address, Parse($"hosts:\n  h:\n    {lines}\n").Hosts["h"].Address);

    [Fact]
    public void QuotedNumbers_AreAccepted()
    {
        var host = Parse("hosts:\n  h:\n    p2p_port: \"8781\"\n    memory_gb: '64.5'\n").Hosts["h"];
        Assert.Equal(8781, host.P2pPort);
        Assert.Equal(64.5, host.MemoryGb);
    }

    [Fact]
    public void Voters_FallBackToHostsMarkedVoter_InFileOrder()
    {
        var config = Parse("hosts:\n  c: {voter: true}\n  a: {voter: false}\n  b: {voter: true}\n");
        Assert.Empty(config.P2pVoters);
        Assert.Equal(["c", "b"], config.Voters());
        Assert.Equal(["c", "b"], config.RaftGroup());
    }

    [Fact]
    public void Voters_ExplicitListWinsOverVoterFlags()
    {
        var config = Parse("p2p_voters: [a]\nhosts:\n  b: {voter: true}\n");
        Assert.Equal(["a"], config.Voters());
    }

    [Fact]
    public void Voters_NoneAnywhere_IsEmpty() => Assert.Empty(Parse("hosts:\n  a: {}\n").Voters());

    [Fact]
    public void RaftGroup_UsesRaftMembersWhenGiven() =>
        Assert.Equal(["r1"], Parse("p2p_voters: [a, b]\nraft_members: [r1]\n").RaftGroup());

    [Fact]
    public void VoterList_BadId_NamesTheIndexAndLine()
    {
        var e = Rejects("p2p_voters:\n  - good\n  - \"bad id\"\n");
        Assert.Equal("p2p_voters[1]", e.Key);
        Assert.Equal(3, e.Line);
        Assert.Contains("'bad id'", e.Message);
    }

    [Fact]
    public void VoterList_Duplicate_IsRejected()
    {
        var e = Rejects("raft_members: [a, b, a]\n");
        Assert.Equal("raft_members[2]", e.Key);
        Assert.Contains("listed twice", e.Message);
    }

    [Theory]
    [InlineData("p2p_voters: a,b\n", "p2p_voters")]
    [InlineData("p2p_voters: {a: 1}\n", "p2p_voters")]
    [InlineData("p2p_voters: [[a]]\n", "p2p_voters[0]")]
    [InlineData("hosts: [a, b]\n", "hosts")]
    [InlineData("hosts:\n  h1: just-a-string\n", "hosts.h1")]
    [InlineData("hosts:\n  \"bad id\": {}\n", "hosts.bad id")]
    [InlineData("- a\n- b\n", "(root)")]
    public void WrongShape_NamesTheKey(string yaml, string key) => Assert.Equal(key, Rejects(yaml).Key);

    [Fact]
    public void DuplicateHost_IsRejectedWithLine()
    {
        var e = Rejects("hosts:\n  a: {}\n  b: {}\n  a: {}\n");
        Assert.Equal(4, e.Line);
        Assert.Equal("distributed_hosts.yaml line 4: invalid YAML: Duplicate key a", e.Message);
    }

    [Theory]
    [InlineData("hosts:\n  h1:\n    x: 'unterminated\n", 3)]
    [InlineData("a: b: c\n", 1)]
    [InlineData("hosts:\n  h1: *missing\n", 2)]
    public void OtherSyntaxErrors_CarryTheLine(string yaml, int line)
    {
        var e = Rejects(yaml);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"distributed_hosts.yaml line {line}: invalid YAML: ", e.Message);
    }

    [Fact]
    public void MergeKeys_ApplyDefaults_AndOwnKeysOverride()
    {
        var config = Parse("""
            x-defaults: &gpu
              role: gpu_selfplay
              selfplay_enabled: true
              p2p_port: 8800
            x-ports: &ports
              p2p_port: 8900
              swim_port: 7999
            hosts:
              a:
                <<: *gpu
                p2p_port: 8801
              b:
                <<: [*gpu, *ports]
            """);

        var a = config.Hosts["a"];
        Assert.Equal(("gpu_selfplay", true, 8801), (a.Role, a.SelfplayEnabled, a.P2pPort));
        var b = config.Hosts["b"];
        Assert.Equal((8800, 7999), (b.P2pPort, b.SwimPort)); // the first merged mapping wins
    }

    [Fact]
    public void MergeKeys_BadMergedValue_NamesTheLineOfTheDefault()
    {
        var e = Rejects("x: &d\n  p2p_port: nope\nhosts:\n  a:\n    <<: *d\n");
        Assert.Equal(2, e.Line);
        Assert.Equal("hosts.a.p2p_port", e.Key);
    }

    [Fact]
    public void TwoDocuments_AreRejected() => Assert.Equal(3, Rejects("hosts: {}\n---\nhosts: {}\n").Line);

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ringrift-missing-{Guid.NewGuid():N}.yaml");
        var e = Assert.Throws<HostsFileException>(() => DistributedHosts.Load(path));
        Assert.Equal(path, e.SourceName);
        Assert.Null(e.Line);
        Assert.StartsWith($"{path}: cannot read the hosts file", e.Message);
    }

    [Fact]
    public void Load_ErrorsNameThePathAsGiven()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ringrift-hosts-{Guid.NewGuid():N}.yaml");
        System.IO.File.WriteAllText(path, "hosts:\n  h:\n    cpus: x\n");
        try
        {
            var e = Assert.Throws<HostsFileException>(() => DistributedHosts.Load(path));
            Assert.StartsWith($"{path} line 3: key 'hosts.h.cpus'", e.Message);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}

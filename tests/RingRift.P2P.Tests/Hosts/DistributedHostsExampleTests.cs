using RingRift.P2P.Hosts;
using Xunit;

namespace RingRift.P2P.Tests.Hosts;

/// <summary>The seed's example inventory must load unchanged (DESIGN §3 "Cluster inventory").</summary>
public sealed class DistributedHostsExampleTests
{
    private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "Hosts", "distributed_hosts.example.yaml");
    private readonly DistributedHostsConfig _config = DistributedHosts.Load(ExamplePath);

    [Fact]
    public void Example_VotersAndRaftMembers()
    {
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1"], _config.P2pVoters);
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1"], _config.RaftMembers);
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1"], _config.Voters());
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1"], _config.RaftGroup());
    }

    [Fact]
    public void Example_HostsInFileOrder() =>
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1", "vast-4090-7", "local-dev"], _config.Hosts.Keys);

    [Theory]
    [InlineData("hetzner-cpu1", "100.64.0.10")]     // tailscale_ip preferred over ssh_host
    [InlineData("hetzner-cpu2", "203.0.113.11")]    // "root@" stripped
    [InlineData("lambda-gh200-1", "100.64.0.21")]
    [InlineData("vast-4090-7", "198.51.100.77")]
    [InlineData("local-dev", "127.0.0.1")]
    public void Example_Addresses(string id, string address) => Assert.Equal(address, _config.Hosts[id].Address);

    [Theory]
    [InlineData("hetzner-cpu1", 8770, 7947, 4321)]
    [InlineData("lambda-gh200-1", 8770, 7947, 4321)]
    [InlineData("local-dev", 8781, 7957, 4331)]
    public void Example_Ports(string id, int p2p, int swim, int raft)
    {
        var host = _config.Hosts[id];
        Assert.Equal((p2p, swim, raft), (host.P2pPort, host.SwimPort, host.RaftPort));
    }

    [Fact]
    public void Example_ActiveHosts_ExcludeTheOfflineOne()
    {
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1", "vast-4090-7"], _config.ActiveHosts().Select(h => h.Id));
        Assert.False(_config.Hosts["local-dev"].IsActive);
        Assert.Equal("offline", _config.Hosts["local-dev"].Status);
    }

    [Fact]
    public void Example_HostDetails()
    {
        var cpu1 = _config.Hosts["hetzner-cpu1"];
        Assert.Equal("root@203.0.113.10", cpu1.SshHost);
        Assert.Equal("coordinator", cpu1.Role);
        Assert.True(cpu1.Voter);
        Assert.True(cpu1.P2pEnabled);
        Assert.Equal(16, cpu1.Cpus);
        Assert.Equal(64, cpu1.MemoryGb);
        Assert.Null(cpu1.Gpu);
        Assert.Equal(0.1, cpu1.GpuPower);

        var gh200 = _config.Hosts["lambda-gh200-1"];
        Assert.Equal("GH200 (96 GB)", gh200.Gpu);
        Assert.Equal(1.2, gh200.GpuPower);
        Assert.Equal(96, gh200.GpuVramGb);
        Assert.Equal(432, gh200.MemoryGb);
        Assert.Equal("gpu_training_primary", gh200.Role);
        Assert.True(gh200.TrainingEnabled);
        Assert.True(gh200.SelfplayEnabled);
        Assert.False(gh200.Voter);
        Assert.False(gh200.NatBlocked);

        var vast = _config.Hosts["vast-4090-7"];
        Assert.Equal(0.5, vast.GpuPower);
        Assert.True(vast.NatBlocked);
        Assert.True(vast.SelfplayEnabled);
        Assert.False(vast.TrainingEnabled);
        Assert.Null(vast.TailscaleIp);
    }
}

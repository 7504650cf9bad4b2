using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>Where the Raft member list comes from, and which entry is this node.</summary>
public sealed class RaftMembershipTests
{
    private const string Hosts = """
        p2p_voters: [a, b]
        raft_members: [a, b, c]
        hosts:
          a: { ssh_host: root@10.0.0.1, raft_port: 5001 }
          b: { tailscale_ip: 100.64.0.2 }
          c: { ssh_host: 10.0.0.3, raft_port: 5003 }
          d: { ssh_host: 10.0.0.4 }
        """;

    private static DistributedHostsConfig Inventory(string yaml) => DistributedHosts.Parse(yaml, "test.yaml");

    [Fact]
    public void RaftMembers_InTheHostsFile_WinAndResolveToEachHostsAddressAndRaftPort()
    {
        var raft = RaftMembership.Resolve("b", 4321, Inventory(Hosts), ["127.0.0.1:1"], "--raft-peers", null);

        Assert.Equal(["10.0.0.1:5001", "100.64.0.2:4321", "10.0.0.3:5003"], raft.Members);
        Assert.Equal("100.64.0.2:4321", raft.Self);
        Assert.Equal("raft_members", raft.Source);
        Assert.Equal(["a", "b", "c"], raft.MemberIds);
    }

    [Fact]
    public void WithoutRaftMembers_TheVotersFormTheGroup_AndOtherHostsAreNotMembers()
    {
        var raft = RaftMembership.Resolve("d", 4321, Inventory(Hosts.Replace("raft_members: [a, b, c]\n", "")), [], "--raft-peers", null);

        Assert.Equal("p2p_voters", raft.Source);
        Assert.Equal(2, raft.Members.Count);
        Assert.False(raft.IsMember);
    }

    [Fact]
    public void PeerList_FindsThisNodeByItsRaftPortOnThisMachine()
    {
        var raft = RaftMembership.Resolve("x", 4322, null, ["127.0.0.1:4321", "127.0.0.1:4322", "127.0.0.1:4323"], "--raft-peers", null);

        Assert.Equal("127.0.0.1:4322", raft.Self);
        Assert.Equal(3, raft.Members.Count);
        Assert.False(raft.IsSingleNode);
    }

    [Fact]
    public void PeerList_WithoutThisNode_IsAnErrorNamingTheSource()
    {
        var error = Assert.Throws<P2PConfigException>(() =>
            RaftMembership.Resolve("x", 4329, null, ["127.0.0.1:4321", "127.0.0.1:4322"], "RINGRIFT_RAFT_PEERS", null));

        Assert.Contains("RINGRIFT_RAFT_PEERS", error.Message);
        Assert.Contains("4329", error.Message);
    }

    [Fact]
    public void RaftAdvertise_PicksThisNodesEntry_AndMustBeInTheList()
    {
        var raft = RaftMembership.Resolve("x", 6000, null, ["127.0.0.1:7001", "127.0.0.1:7002"], "--raft-peers", null, "127.0.0.1:7002");
        Assert.Equal("127.0.0.1:7002", raft.Self);

        var error = Assert.Throws<P2PConfigException>(() =>
            RaftMembership.Resolve("x", 6000, null, ["127.0.0.1:7001"], "--raft-peers", null, "127.0.0.1:7009"));
        Assert.Contains("--raft-advertise", error.Message);
    }

    [Fact]
    public void NothingConfigured_IsASingleNodeGroupOfThisNode()
    {
        var raft = RaftMembership.Resolve("x", 4321, null, [], "--raft-peers", null);

        Assert.True(raft.IsSingleNode);
        Assert.Equal("127.0.0.1:4321", raft.Self);
    }
}

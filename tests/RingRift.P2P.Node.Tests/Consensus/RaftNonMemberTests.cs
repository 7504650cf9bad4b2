using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// The Raft group from the hosts file's raft_members; a fourth node outside it runs no member and
/// relays queue calls to a member, which relays them to the leader.
/// </summary>
[Collection(RaftProcessCollection.Name)]
public sealed class RaftNonMemberTests
{
    [Fact]
    public async Task NodeOutsideRaftMembers_ServesWorkThroughAMember_WithFencedClaims()
    {
        var root = Path.Combine(Path.GetTempPath(), "ringrift-raftnm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var http = LoopbackPorts.Free(4);
        var raft = LoopbackPorts.Free(3);
        var hosts = Path.Combine(root, "distributed_hosts.yaml");
        File.WriteAllText(hosts, $"""
            p2p_voters: [node-1, node-2, node-3]
            raft_members: [node-1, node-2, node-3]
            hosts:
              node-1: {"{"} ssh_host: 127.0.0.1, p2p_port: {http[0]}, raft_port: {raft[0]} {"}"}
              node-2: {"{"} ssh_host: 127.0.0.1, p2p_port: {http[1]}, raft_port: {raft[1]} {"}"}
              node-3: {"{"} ssh_host: 127.0.0.1, p2p_port: {http[2]}, raft_port: {raft[2]} {"}"}
              node-4: {"{"} ssh_host: 127.0.0.1, p2p_port: {http[3]} {"}"}
            """);
        var env = InProcessCluster.FastTimings.ToDictionary(kv => kv.Key, kv => kv.Value!);
        env["RINGRIFT_RAFT_ENABLED"] = "true";
        env["RINGRIFT_CONSENSUS_MODE"] = "raft";
        var nodes = Enumerable.Range(0, 4).Select(i => ChildNode.Start($"node-{i + 1}", http[i],
            ["--node-id", $"node-{i + 1}", "--host", "127.0.0.1", "--port", http[i].ToString(), "--data-dir", Path.Combine(root, $"node-{i + 1}"), "--hosts", hosts],
            Path.Combine(root, $"node-{i + 1}.log"), env)).ToList();
        try
        {
            var outsider = nodes[3].Url + "/";
            JsonNode? added = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    var answer = await Http.PostAsync(outsider, "work/add", new JsonObject { ["work_id"] = "via-outsider", ["work_type"] = "evaluation" });
                    if (answer.Status == 200) { added = answer.Json; break; }
                }
                catch (HttpRequestException) { }
                await Task.Delay(200);
            }
            Assert.True(added is not null, "the outsider never got an add through; log:\n" + File.ReadAllText(nodes[3].LogPath));

            var claim = (await RaftRollbackTests.RetryUnavailableAsync(() => Http.GetAsync(outsider, "work/claim?node_id=gpu-4"))).Json!;
            Assert.Equal("via-outsider", claim["work"]!["work_id"]!.GetValue<string>());
            Assert.Matches(@"^\d+\.\d+(\.\d+)?$", claim["fencing_token"]!.GetValue<string>());

            var status = (await Http.GetAsync(outsider, "raft/status")).Json!;
            Assert.False(status["member"]!.GetValue<bool>());
            Assert.Equal("raft_members", status["members_source"]!.GetValue<string>());
            Assert.Equal(3, status["members"]!.AsArray().Count);
            var member = (await Http.GetAsync(nodes[0].Url + "/", "raft/status")).Json!;
            Assert.True(member["member"]!.GetValue<bool>());
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

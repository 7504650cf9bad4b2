using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Config;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>A Raft port another socket holds does not stop the node: it stays on Bully + SQLite and says what sets the port.</summary>
public sealed class RaftPortInUseTests
{
    [Fact]
    public async Task A_taken_raft_port_leaves_no_member_and_a_reason_naming_the_port_and_its_settings()
    {
        var dataDir = Directory.CreateTempSubdirectory("ringrift-raftport-").FullName;
        var port = TestPorts.Free();
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();
        try
        {
            var options = new NodeOptions
            {
                NodeId = "node-1",
                DataDir = dataDir,
                BindHost = "127.0.0.1",
                Port = TestPorts.Free(),
                RaftPort = port,
                Config = new P2PConfig { RaftEnabled = true },
                Raft = RaftMembership.SingleNode("127.0.0.1", port, "test"),
            };
            await using var raft = new RaftService(options, TimeProvider.System, NullLoggerFactory.Instance, NullLogger<RaftService>.Instance);

            await raft.StartAsync(CancellationToken.None);

            Assert.Null(raft.Node);
            Assert.StartsWith($"raft could not start on port {port}: ", raft.FailureReason);
            Assert.EndsWith(" (set RINGRIFT_RAFT_BIND_PORT or --raft-port)", raft.FailureReason);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

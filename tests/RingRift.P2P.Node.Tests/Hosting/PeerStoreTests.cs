using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Tests.Sync;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>peers.json as read back: a damaged file or damaged entries are skipped, never a reason not to start.</summary>
public sealed class PeerStoreTests : IDisposable
{
    private readonly TempDir _dir = new("peers");

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<PeerStore.StoredPeer> Load(string text)
    {
        var path = Path.Combine(_dir.Full("d"), "peers.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return new PeerStore(path, NullLogger<PeerStore>.Instance).Load();
    }

    [Theory]
    [InlineData("{\u0000\u00ff[\"")]
    [InlineData("{\"node_id\": \"a\"}")]
    [InlineData("null")]
    public void NotAListOfPeers_IsIgnored(string text) => Assert.Empty(Load(text));

    [Fact]
    public void EntriesNoPeerCouldHaveWritten_AreSkipped_TheOthersKept()
    {
        var peers = Load("""
            [null,
             {"node_id": "", "host": "10.0.0.1", "port": 8770},
             {"node_id": "b", "host": null, "port": 8770},
             {"node_id": "c", "host": "10.0.0.3", "port": 0},
             {"node_id": "d", "host": "10.0.0.4", "port": 70000},
             {"node_id": "e", "host": "10.0.0.5", "port": 8770}]
            """);

        Assert.Equal([new PeerStore.StoredPeer("e", "10.0.0.5", 8770)], peers);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// Keeps the ids and addresses of every peer this node has learned in peers.json, so that after a
/// restart it still knows the whole cluster (and so the same voter set) before anyone answers. A damaged
/// file is repaired rather than refused: what cannot be read is logged and skipped (the seeds and the
/// peers' heartbeats rebuild the list), and the next save rewrites the file whole.
/// </summary>
public sealed class PeerStore(string path, ILogger<PeerStore> logger)
{
    private readonly object _gate = new();

    public sealed record StoredPeer(string NodeId, string Host, int Port);

    public IReadOnlyList<StoredPeer> Load()
    {
        if (!File.Exists(path)) return [];
        JsonArray? stored;
        try
        {
            stored = JsonNode.Parse(File.ReadAllText(path)) as JsonArray;
        }
        catch (JsonException ex)
        {
            logger.PeerListUnreadable(path, ex.Message);
            return [];
        }
        if (stored is null)
        {
            logger.PeerListUnreadable(path, "it does not hold a list");
            return [];
        }
        // Each entry on its own: one that no peer could have written (null, a blank id or host, a port out of
        // range, a field of the wrong type) is skipped, the others kept.
        var peers = stored.Select(ReadPeer).OfType<StoredPeer>().ToList();
        if (peers.Count != stored.Count)
            logger.PeerListUnreadable(path, $"{stored.Count - peers.Count} entries without a node id, a host or a port in 1-65535 were skipped");
        return peers;
    }

    private static StoredPeer? ReadPeer(JsonNode? entry)
    {
        StoredPeer? peer;
        try { peer = entry?.Deserialize(NodeJson.Contract<StoredPeer>()); }
        catch (JsonException) { return null; }
        return peer is { NodeId: { Length: > 0 } id, Host: { Length: > 0 } host, Port: > 0 and <= 65535 }
            && !string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(host) ? peer : null;
    }

    public void Save(IEnumerable<PeerRecord> peers)
    {
        var list = peers.Select(p => new StoredPeer(p.NodeId, p.Endpoint.Host, p.Endpoint.Port))
            .OrderBy(p => p.NodeId, StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, NodeJson.Serialize(list));
            File.Move(tmp, path, overwrite: true);
        }
    }
}

using System.Text.Json;
using RingRift.P2P.Json;
using RingRift.P2P.Membership;

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
        List<StoredPeer?>? stored;
        try
        {
            stored = JsonSerializer.Deserialize<List<StoredPeer?>>(File.ReadAllText(path), P2PJson.Options);
        }
        catch (JsonException ex)
        {
            logger.PeerListUnreadable(path, ex.Message);
            return [];
        }
        // Valid JSON can still hold entries no peer could have written (null, a blank id or host, a port out of range).
        var peers = (stored ?? []).OfType<StoredPeer>()
            .Where(p => !string.IsNullOrWhiteSpace(p.NodeId) && !string.IsNullOrWhiteSpace(p.Host) && p.Port is > 0 and <= 65535).ToList();
        if (peers.Count != (stored?.Count ?? 0))
            logger.PeerListUnreadable(path, $"{(stored?.Count ?? 0) - peers.Count} entries without a node id, host or port in 1-65535 were skipped");
        return peers;
    }

    public void Save(IEnumerable<PeerRecord> peers)
    {
        var list = peers.Select(p => new StoredPeer(p.NodeId, p.Endpoint.Host, p.Endpoint.Port))
            .OrderBy(p => p.NodeId, StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(list, P2PJson.Options));
            File.Move(tmp, path, overwrite: true);
        }
    }
}

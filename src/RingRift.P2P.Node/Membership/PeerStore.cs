using System.Text.Json;
using RingRift.P2P.Json;
using RingRift.P2P.Membership;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// Keeps the ids and addresses of every peer this node has learned in peers.json, so that after a
/// restart it still knows the whole cluster (and so the same voter set) before anyone answers.
/// </summary>
public sealed class PeerStore(string path, ILogger<PeerStore> logger)
{
    private readonly object _gate = new();

    public sealed record StoredPeer(string NodeId, string Host, int Port);

    public IReadOnlyList<StoredPeer> Load()
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<StoredPeer>>(File.ReadAllText(path), P2PJson.Options) ?? [];
        }
        catch (JsonException ex)
        {
            logger.PeerListUnreadable(path, ex.Message);
            return [];
        }
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

using System.Net;
using System.Text;
using DotNext.Buffers;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// DotNext's cluster configuration kept in memory, seeded with the static member list every node
/// reads at start. An address is stored as its text ("host:port", "[v6]:port") behind a 4-byte
/// little-endian length.
/// </summary>
internal sealed class EndPointConfigurationStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    /// <summary>Storage whose active configuration is <paramref name="members"/>.</summary>
    public static EndPointConfigurationStorage Seeded(IEnumerable<EndPoint> members)
    {
        var storage = new EndPointConfigurationStorage();
        var builder = storage.CreateInitialConfigurationBuilder();
        foreach (var member in members)
            builder.Add(member);
        builder.Build();
        return storage;
    }

    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output)
    {
        var text = RaftEndPoints.Format(address);
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        output.Write(length);
        output.Write(bytes);
    }

    protected override EndPoint Decode(ref SequenceReader reader)
    {
        var length = reader.ReadLittleEndian<int>();
        if (length is < 1 or > 1024)
            throw new InvalidDataException($"raft configuration: member address length {length} is outside 1..1024");
        var bytes = new byte[length];
        reader.Read(bytes);
        var text = Encoding.UTF8.GetString(bytes);
        return RaftEndPoints.Parse(text, "raft configuration member");
    }
}

using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

/// <summary>One or more instances of every message type, covering edge values.</summary>
internal static class WireSamples
{
    internal static readonly string MaxId = new('n', WireLimits.MaxNodeIdBytes);
    // 32 three-byte characters + 32 ASCII = 128 UTF-8 bytes: multi-byte ids at the limit.
    internal static readonly string MaxIdMultiByte = new string('€', 32) + new string('x', 32);
    internal const string Ipv6 = "2001:db8:85a3::8a2e:370:7334";
    internal const string Ipv6Scoped = "fe80::1ff:fe23:4567:890a%3";
    // 64-byte address text: IPv4-mapped IPv6 with leading zeros in each group.
    internal static readonly string MaxAddress = "0000:0000:0000:0000:0000:ffff:192.168.100.200%" + new string('0', 17) + "1";
    internal static readonly byte[] MaxMeta = Enumerable.Range(0, WireLimits.MaxMetaBytes).Select(i => (byte)(i * 7)).ToArray();

    internal static PushPullEntry Entry(string id, SwimMemberState state, byte[]? meta = null) =>
        new(id, "10.0.0.7", 7947, 42, state, meta ?? []);

    internal static IEnumerable<SwimMessage> All()
    {
        yield return new Ping(0, "a", "b", "127.0.0.1", 0);
        yield return new Ping(uint.MaxValue, MaxId, MaxIdMultiByte, Ipv6, ushort.MaxValue);
        yield return new Ping(7, "node-1", "node-2", MaxAddress, 7947);
        yield return new IndirectPing(1, "t", "10.1.2.3", 7947, "s", Ipv6Scoped, 7948, WantNack: true);
        yield return new IndirectPing(uint.MaxValue, MaxId, MaxAddress, ushort.MaxValue, MaxIdMultiByte, Ipv6, 0, WantNack: false);
        yield return new Ack(0);
        yield return new Ack(uint.MaxValue);
        yield return new Nack(12345);
        yield return new Suspect(0, "x", "y");
        yield return new Suspect(ulong.MaxValue, MaxId, MaxIdMultiByte);
        yield return new Alive(0, "n", "0.0.0.0", 0, ReadOnlyMemory<byte>.Empty);
        yield return new Alive(ulong.MaxValue, MaxIdMultiByte, MaxAddress, ushort.MaxValue, MaxMeta);
        yield return new Alive(3, "node-ü", "::1", 7947, new byte[] { 0, 255, 1 });
        yield return new Dead(9, "gone", "reporter");
        yield return new Dead(ulong.MaxValue, MaxId, MaxId);
        yield return new Leave(0, "l");
        yield return new Leave(ulong.MaxValue, MaxIdMultiByte);
        yield return new Compound([new Ack(1)]);
        yield return new Compound([new Ping(5, "a", "b", "::", 1), new Alive(2, "a", Ipv6, 2, MaxMeta), new Nack(5), new Leave(1, "z")]);
        yield return new PushPullRequest([]);
        yield return new PushPullRequest([Entry("a", SwimMemberState.Alive), Entry(MaxId, SwimMemberState.Left, MaxMeta)]);
        yield return new PushPullResponse([
            Entry("s", SwimMemberState.Suspect, [1]),
            Entry("d", SwimMemberState.Dead),
            new PushPullEntry(MaxIdMultiByte, MaxAddress, ushort.MaxValue, ulong.MaxValue, SwimMemberState.Alive, MaxMeta),
        ]);
    }

    internal static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < All().Count(); i++) data.Add(i);
        return data;
    }
}

namespace RingRift.P2P.Swim.Tests;

/// <summary>Infection-style dissemination buffer (SWIM §4.1; retransmit limit as in memberlist).</summary>
public sealed class BroadcastQueueTests
{
    // SWIM §4.1: each update is piggybacked λ·log(n) times; we use RetransmitMult × ⌈log10(n + 1)⌉.
    [Theory]
    [InlineData(4, 1, 4)]
    [InlineData(4, 9, 4)]
    [InlineData(4, 10, 8)]
    [InlineData(4, 64, 8)]
    [InlineData(4, 99, 8)]
    [InlineData(4, 100, 12)]
    [InlineData(4, 512, 12)]
    [InlineData(3, 512, 9)]
    [InlineData(1, 1000, 4)]
    public void RetransmitLimit_IsMultTimesCeilLog10OfNPlusOne(int mult, int clusterSize, int expected)
    {
        Assert.Equal(expected, new BroadcastQueue(mult).RetransmitLimit(clusterSize));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(9, 4)]
    [InlineData(10, 8)]
    [InlineData(64, 8)]
    [InlineData(512, 12)]
    public void Update_IsSentExactlyRetransmitLimitTimes_ThenDropped(int clusterSize, int limit)
    {
        // SWIM §4.1: an update stops being piggybacked after its retransmit budget.
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 10));

        for (int i = 1; i < limit; i++)
        {
            Assert.Equal("a", Tags(queue.TakeForPacket(0, 100, clusterSize)));
        }

        Assert.Equal(1, queue.Count);
        Assert.Equal(limit - 1, queue.TransmitsOf("a"));

        Assert.Equal("a", Tags(queue.TakeForPacket(0, 100, clusterSize)));
        Assert.Equal(0, queue.Count);
        Assert.Empty(queue.TakeForPacket(0, 100, clusterSize));
    }

    [Fact]
    public void Limit_UsesClusterSizeAtTimeOfSending()
    {
        var queue = new BroadcastQueue(1);
        queue.Enqueue("a", Payload('a', 10));

        queue.TakeForPacket(0, 100, 50); // limit 2 at n = 50: one send left
        Assert.Equal(1, queue.Count);

        queue.TakeForPacket(0, 100, 5); // cluster shrank to n = 5: limit 1, already reached
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void NewerUpdate_AboutSameSubject_ReplacesQueuedOne()
    {
        // SWIM §4.1 / memberlist: a newer update about a node invalidates the older one still queued.
        var queue = new BroadcastQueue(4);
        Assert.False(queue.Enqueue("n1", Payload('x', 10)));
        queue.TakeForPacket(0, 100, 10);
        Assert.True(queue.Enqueue("n1", Payload('y', 10)));

        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.TransmitsOf("n1")); // the replacement starts a fresh budget
        Assert.Equal("y", Tags(queue.TakeForPacket(0, 1000, 10)));
    }

    [Fact]
    public void Updates_AboutDifferentSubjects_DoNotReplaceEachOther()
    {
        var queue = new BroadcastQueue(4);
        queue.Enqueue("n1", Payload('x', 10));
        queue.Enqueue("n2", Payload('y', 10));

        Assert.Equal(2, queue.Count);
        Assert.Equal("yx", Tags(queue.TakeForPacket(0, 1000, 10)));
    }

    [Fact]
    public void TakeForPacket_SkipsUpdatesThatDoNotFit_AndTakesSmallerOnesBehindThem()
    {
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 10)); // oldest
        queue.Enqueue("b", Payload('b', 50));
        queue.Enqueue("c", Payload('c', 20)); // newest

        // c costs 22 (room 35 → 13), b costs 52 (skipped), a costs 12 (room 13 → 1).
        Assert.Equal("ca", Tags(queue.TakeForPacket(2, 35, 10)));
        Assert.Equal(0, queue.TransmitsOf("b"));
        Assert.Equal(1, queue.TransmitsOf("a"));
    }

    [Fact]
    public void TakeForPacket_IncludesUpdateWhoseCostEqualsRoom_ExcludesItOneByteShort()
    {
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 30));

        Assert.Empty(queue.TakeForPacket(3, 32, 10));
        Assert.Equal(0, queue.TransmitsOf("a"));
        Assert.Equal("a", Tags(queue.TakeForPacket(3, 33, 10)));
    }

    [Fact]
    public void TakeForPacket_WithNoRoom_ReturnsNothingAndCountsNothing()
    {
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 1));

        Assert.Empty(queue.TakeForPacket(0, 0, 10));
        Assert.Equal(0, queue.TransmitsOf("a"));
    }

    [Fact]
    public void TakeForPacket_PrefersLeastTransmitted_ThenNewest()
    {
        // SWIM §4.1 fairness: fresh news goes out before news most members already have.
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 10));
        queue.Enqueue("b", Payload('b', 10));

        Assert.Equal("b", Tags(queue.TakeForPacket(0, 10, 10))); // both 0 sends: newest
        Assert.Equal("a", Tags(queue.TakeForPacket(0, 10, 10))); // a has 0 sends, b has 1
        Assert.Equal("b", Tags(queue.TakeForPacket(0, 10, 10))); // both 1 send: newest

        queue.Enqueue("c", Payload('c', 10));
        Assert.Equal("cab", Tags(queue.TakeForPacket(0, 100, 10))); // c (0), a (1), b (2)
    }

    [Fact]
    public void SameOperations_GiveSamePackets()
    {
        Assert.Equal(Run(seed: 7), Run(seed: 7));
        Assert.NotEqual(Run(seed: 7), Run(seed: 8));

        static List<string> Run(int seed)
        {
            var random = new Random(seed);
            var queue = new BroadcastQueue(2);
            var packets = new List<string>();
            for (int step = 0; step < 200; step++)
            {
                char subject = (char)('a' + random.Next(12));
                queue.Enqueue(subject.ToString(), Payload(subject, 1 + random.Next(40)));
                packets.Add(Tags(queue.TakeForPacket(3, 60 + random.Next(60), 20)));
            }

            return packets;
        }
    }

    [Fact]
    public void Prune_DropsMostTransmittedThenOldest()
    {
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 10));
        queue.Enqueue("b", Payload('b', 10));
        queue.TakeForPacket(0, 100, 10); // a and b sent once
        queue.Enqueue("c", Payload('c', 10));
        queue.Enqueue("d", Payload('d', 10));

        Assert.Equal(0, queue.Prune(4));
        Assert.Equal(2, queue.Prune(2));

        Assert.Equal(2, queue.Count);
        Assert.Null(queue.TransmitsOf("a"));
        Assert.Null(queue.TransmitsOf("b"));
        Assert.Equal("dc", Tags(queue.TakeForPacket(0, 100, 10)));

        Assert.Equal(1, queue.Prune(1));
        Assert.Null(queue.TransmitsOf("c")); // c and d both sent once; c is older
        Assert.Equal(1, queue.TransmitsOf("d"));
    }

    [Fact]
    public void Prune_AmongEquallySent_KeepsNewest()
    {
        var queue = new BroadcastQueue(4);
        queue.Enqueue("a", Payload('a', 10));
        queue.Enqueue("b", Payload('b', 10));
        queue.Enqueue("c", Payload('c', 10));

        Assert.Equal(2, queue.Prune(1));
        Assert.Equal("c", Tags(queue.TakeForPacket(0, 100, 10)));
    }

    [Fact]
    public void BadArguments_AreRejected_NamingTheValue()
    {
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new BroadcastQueue(0));
        Assert.Contains("retransmitMult is 0", bad.Message);

        var queue = new BroadcastQueue(4);
        Assert.Contains("clusterSize is 0", Assert.Throws<ArgumentOutOfRangeException>(() => queue.TakeForPacket(0, 10, 0)).Message);
        Assert.Contains("bytesAvailable is -1", Assert.Throws<ArgumentOutOfRangeException>(() => queue.TakeForPacket(0, -1, 1)).Message);
        Assert.Contains("overheadPerItem is -1", Assert.Throws<ArgumentOutOfRangeException>(() => queue.TakeForPacket(-1, 10, 1)).Message);
        Assert.Contains("subjectNodeId is empty", Assert.Throws<ArgumentException>(() => queue.Enqueue("", [1])).Message);
        Assert.Contains("0 bytes", Assert.Throws<ArgumentException>(() => queue.Enqueue("a", [])).Message);
        Assert.Contains("maxRetained is -1", Assert.Throws<ArgumentOutOfRangeException>(() => queue.Prune(-1)).Message);
    }

    private static byte[] Payload(char tag, int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)tag);
        return bytes;
    }

    private static string Tags(IReadOnlyList<byte[]> payloads) => string.Concat(payloads.Select(p => (char)p[0]));
}

namespace RingRift.P2P.Swim.Tests;

/// <summary>Round-robin probe target selection over re-shuffled lists (SWIM §4.3).</summary>
public sealed class ProbeOrderTests
{
    private static readonly string[] Ten = ["n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"];

    [Fact]
    public void EmptyList_GivesNull()
    {
        var order = new ProbeOrder(new Random(1));

        Assert.Null(order.Next([]));
        Assert.Equal(0, order.Rounds);
    }

    [Fact]
    public void EveryMember_IsProbedExactlyOncePerRound()
    {
        // SWIM §4.3: round-robin bounds worst-case detection — each member once per N periods.
        var order = new ProbeOrder(new Random(42));

        for (int round = 1; round <= 5; round++)
        {
            List<string> picked = Take(order, Ten, Ten.Length);
            Assert.Equal(Ten, picked.Order(StringComparer.Ordinal));
            Assert.Equal(round, order.Rounds);
        }
    }

    [Fact]
    public void EachRound_IsReshuffled()
    {
        // SWIM §4.3: the list is re-shuffled at the end of each traversal (10! orders; equal rounds
        // for this seed would mean no reshuffle).
        var order = new ProbeOrder(new Random(42));

        List<string> first = Take(order, Ten, Ten.Length);
        List<string> second = Take(order, Ten, Ten.Length);

        Assert.NotEqual(first, second);
        Assert.NotEqual(Ten, first);
    }

    [Fact]
    public void SameSeed_GivesSameSequence_WhateverTheInputOrder()
    {
        var forward = new ProbeOrder(new Random(7));
        var backward = new ProbeOrder(new Random(7));
        var other = new ProbeOrder(new Random(8));
        string[] reversed = Ten.Reverse().ToArray();
        var set = new HashSet<string>(Ten);

        List<string> a = Take(forward, Ten, 30);
        var b = Enumerable.Range(0, 30).Select(i => backward.Next(i % 2 == 0 ? reversed : set)!).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, Take(other, Ten, 30));
    }

    [Fact]
    public void MemberJoiningMidRound_IsProbedInThatRound_Once()
    {
        // SWIM §4.3: a newcomer goes into the rest of the current round, keeping the N-period bound.
        var order = new ProbeOrder(new Random(3));
        string[] five = Ten[..5];
        string[] six = [.. five, "new"];

        List<string> round = Take(order, five, 2);
        round.AddRange(Take(order, six, 4));

        Assert.Equal(six.Order(StringComparer.Ordinal), round.Order(StringComparer.Ordinal));
        Assert.Equal(1, order.Rounds);

        List<string> next = Take(order, six, 6);
        Assert.Equal(2, order.Rounds);
        Assert.Equal(six.Order(StringComparer.Ordinal), next.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MemberJoiningMidRound_LandsAtRandomPositionInRestOfRound()
    {
        var positions = new HashSet<int>();
        string[] five = Ten[..5];
        string[] six = [.. five, "new"];
        for (int seed = 0; seed < 40; seed++)
        {
            var order = new ProbeOrder(new Random(seed));
            Take(order, five, 2);
            positions.Add(Take(order, six, 4).IndexOf("new"));
        }

        Assert.Equal([0, 1, 2, 3], positions.Order());
    }

    [Fact]
    public void MemberLeavingMidRound_IsSkipped()
    {
        var order = new ProbeOrder(new Random(5));
        List<string> probed = Take(order, Ten, 3);
        string gone = Ten.First(id => !probed.Contains(id));
        string[] remaining = Ten.Where(id => id != gone).ToArray();

        probed.AddRange(Take(order, remaining, 6));

        Assert.DoesNotContain(gone, probed);
        Assert.Equal(remaining, probed.Order(StringComparer.Ordinal));
        Assert.Equal(1, order.Rounds);
    }

    [Theory]
    [InlineData(3)] // its turn comes while it is away: skipped, then re-inserted when it returns
    [InlineData(9)] // it is back before its turn: probed in its original slot
    public void MemberLeavingAndReturningMidRound_IsProbedOnce(int positionInRound)
    {
        List<string> plannedRound = Take(new ProbeOrder(new Random(5)), Ten, Ten.Length);
        string flapping = plannedRound[positionInRound];
        string[] without = Ten.Where(id => id != flapping).ToArray();
        var order = new ProbeOrder(new Random(5));

        List<string> probed = Take(order, Ten, 3);
        probed.Add(order.Next(without)!);
        probed.AddRange(Take(order, Ten, 6));

        Assert.Equal(Ten, probed.Order(StringComparer.Ordinal));
        Assert.Equal(1, order.Rounds);
    }

    [Fact]
    public void AlreadyProbedMember_LeavingAndReturning_IsNotProbedTwiceInRound()
    {
        var order = new ProbeOrder(new Random(9));
        List<string> probed = Take(order, Ten, 3);
        string[] without = Ten.Where(id => id != probed[0]).ToArray();

        probed.AddRange(Take(order, without, 2));
        probed.AddRange(Take(order, Ten, 5));

        Assert.Equal(Ten, probed.Order(StringComparer.Ordinal));
        Assert.Equal(1, order.Rounds);
    }

    [Fact]
    public void SingleMember_IsProbedEveryPeriod()
    {
        var order = new ProbeOrder(new Random(1));

        Assert.Equal(["only", "only", "only"], Take(order, ["only"], 3));
        Assert.Equal(3, order.Rounds);
    }

    [Fact]
    public void DuplicateIds_AreProbedOncePerRound()
    {
        var order = new ProbeOrder(new Random(1));

        Assert.Equal(["a", "b"], Take(order, ["a", "b", "a"], 2).Order(StringComparer.Ordinal));
        Assert.Equal(1, order.Rounds);
    }

    [Fact]
    public void BadInput_IsRejected()
    {
        var order = new ProbeOrder(new Random(1));

        Assert.Throws<ArgumentNullException>(() => new ProbeOrder(null!));
        Assert.Contains("empty id", Assert.Throws<ArgumentException>(() => order.Next(["a", ""])).Message);
        Assert.Contains("null id", Assert.Throws<ArgumentException>(() => order.Next(["a", null!])).Message);
    }

    private static List<string> Take(ProbeOrder order, IReadOnlyCollection<string> members, int count)
    {
        var picked = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            picked.Add(order.Next(members) ?? throw new InvalidOperationException("Next returned null for a non-empty list."));
        }

        return picked;
    }
}

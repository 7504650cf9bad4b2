namespace RingRift.P2P.Swim;

/// <summary>
/// Chooses whom to probe each protocol period: round-robin over a freshly shuffled list of the
/// probeable members (SWIM §4.3). Every member present for a whole round is probed exactly once in
/// it, so a failed member is probed by any given node within 2N − 1 periods at worst, instead of
/// the unbounded wait of picking uniformly at random.
/// </summary>
/// <remarks>
/// <para>A round is shuffled with Fisher–Yates using the injected <see cref="Random"/>. Inputs are
/// sorted ordinally before shuffling or inserting, so the order depends only on the seed and the set
/// of ids, not on the enumeration order of the collection passed in (a <see cref="HashSet{T}"/> of
/// strings enumerates differently in each process).</para>
/// <para>A member that appears mid-round is inserted at a uniformly random position among the members
/// not yet probed this round, so it is probed in this round. A member that disappears is skipped when
/// its turn comes. Not thread-safe: the probe loop owns it.</para>
/// </remarks>
public sealed class ProbeOrder
{
    private readonly Random _random;
    private readonly List<string> _round = [];
    private readonly HashSet<string> _inRound = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Creates an order with no round started; the first <see cref="Next"/> shuffles one.</summary>
    /// <param name="random">Source of shuffles; seed it to replay a simulation exactly.</param>
    public ProbeOrder(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <summary>Number of completed-or-started rounds, i.e. how many times a list was shuffled.</summary>
    public int Rounds { get; private set; }

    /// <summary>
    /// The member to probe now, or null when <paramref name="probeable"/> is empty. Pass the current
    /// probeable members each time (normally alive and suspect peers, never this node).
    /// </summary>
    public string? Next(IReadOnlyCollection<string> probeable)
    {
        ArgumentNullException.ThrowIfNull(probeable);
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? id in probeable)
        {
            if (string.IsNullOrEmpty(id))
            {
                throw new ArgumentException(
                    $"probeable contains a {(id is null ? "null" : "empty")} id; every id must be non-empty.",
                    nameof(probeable));
            }

            current.Add(id);
        }

        if (current.Count == 0)
        {
            return null;
        }

        InsertArrivals(current);

        while (_next < _round.Count)
        {
            string candidate = _round[_next++];
            if (current.Contains(candidate))
            {
                return candidate;
            }

            _inRound.Remove(candidate); // gone; if it returns it is inserted again like any newcomer
        }

        StartRound(current);
        return _round[_next++];
    }

    private void InsertArrivals(HashSet<string> current)
    {
        if (Rounds == 0 || _next >= _round.Count)
        {
            return; // a new round is about to be shuffled from the full set anyway
        }

        List<string>? arrivals = null;
        foreach (string id in current)
        {
            if (!_inRound.Contains(id))
            {
                (arrivals ??= []).Add(id);
            }
        }

        if (arrivals is null)
        {
            return;
        }

        arrivals.Sort(StringComparer.Ordinal);
        foreach (string id in arrivals)
        {
            _round.Insert(_random.Next(_next, _round.Count + 1), id);
            _inRound.Add(id);
        }
    }

    private void StartRound(HashSet<string> current)
    {
        _round.Clear();
        _round.AddRange(current);
        _round.Sort(StringComparer.Ordinal);
        for (int i = _round.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (_round[i], _round[j]) = (_round[j], _round[i]);
        }

        _inRound.Clear();
        _inRound.UnionWith(_round);
        _next = 0;
        Rounds++;
    }
}

namespace RingRift.P2P.Config;

/// <summary>
/// The known name a mistyped one most likely meant, for "did you mean …?" hints: an unknown
/// <c>RINGRIFT_*</c> variable, an unknown key in the hosts file.
/// </summary>
public static class NearestName
{
    /// <summary>
    /// The name in <paramref name="known"/> closest to <paramref name="name"/> (ignoring case), when close
    /// enough to be a typo: at most 2 edits (3 for names over 12 characters; a swap of two neighbours
    /// is one edit). With <paramref name="segments"/>, a name whose <c>_</c>-separated parts all appear,
    /// in order, in the other one also counts (<c>RINGRIFT_AUTH_TOKEN</c> → <c>RINGRIFT_CLUSTER_AUTH_TOKEN</c>).
    /// Ties go to the fewest edits, then to the first in <paramref name="known"/>. Null when nothing is close.
    /// </summary>
    public static string? Find(string name, IEnumerable<string> known, bool segments = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(known);
        var upper = name.ToUpperInvariant();
        var limit = upper.Length > 12 ? 3 : 2;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var other = candidate.ToUpperInvariant();
            if (other == upper) continue;
            var distance = Edits(upper, other);
            var close = distance <= limit || (segments && (InOrder(Parts(upper), Parts(other)) || InOrder(Parts(other), Parts(upper))));
            if (close && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    public static int Edits(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static string[] Parts(string name) => name.Split('_', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True when every part of <paramref name="few"/> appears in <paramref name="many"/>, in order, and <paramref name="many"/> has more.</summary>
    private static bool InOrder(string[] few, string[] many)
    {
        if (few.Length == 0 || few.Length >= many.Length) return false;
        var at = 0;
        foreach (var part in many)
        {
            if (at < few.Length && part == few[at]) at++;
        }
        return at == few.Length;
    }
}

namespace RingRift.P2P.Membership;

/// <summary>The node id rule shared by the environment, the hosts file, the voter lists and peers' messages.</summary>
public static class NodeIds
{
    public const int MaxLength = 128;
    public const string Allowed = "expected 1 to 128 characters of letters, digits, '-', '_' or '.'";

    /// <summary>1–<see cref="MaxLength"/> ASCII letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength) return false;
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) return false;
        }
        return true;
    }
}

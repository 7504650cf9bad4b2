namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Several messages in one UDP packet, in order. Holds 1..255 parts; parts may not be compounds or
/// push-pull messages (those go over TCP). Built by <see cref="CompoundPacker"/> on the way out and
/// by <see cref="SwimCodec.TryDecode"/> on the way in. Equality compares the parts in order.
/// </summary>
public sealed record Compound : SwimMessage
{
    /// <summary>Wraps <paramref name="parts"/> (copied).</summary>
    /// <exception cref="ArgumentException">No parts, more than 255, a null part, or a part that may not be nested.</exception>
    public Compound(IReadOnlyList<SwimMessage> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count is 0 or > WireLimits.MaxCompoundParts)
            throw new ArgumentException($"parts has {parts.Count} messages; a compound holds 1..{WireLimits.MaxCompoundParts}.", nameof(parts));
        var copy = parts.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
                throw new ArgumentException($"parts[{i}] is null.", nameof(parts));
            if (!SwimCodec.MayBeCompoundPart(copy[i].Type))
                throw new ArgumentException($"parts[{i}] is a {copy[i].Type}; only single UDP messages (Ping..Leave) may go in a compound.", nameof(parts));
        }
        Parts = Array.AsReadOnly(copy);
    }

    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Compound;

    /// <summary>The messages, in the order they were packed.</summary>
    public IReadOnlyList<SwimMessage> Parts { get; }

    /// <summary>Value equality over the parts, in order.</summary>
    public bool Equals(Compound? other) => other is not null && Parts.SequenceEqual(other.Parts);

    /// <inheritdoc />
    public override int GetHashCode() => Parts.Count;
}

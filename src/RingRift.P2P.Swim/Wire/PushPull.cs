namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// One member's row in a push-pull full-state exchange. <paramref name="Meta"/> (0..512 bytes) is copied
/// on construction; equality compares its bytes.
/// </summary>
public sealed record PushPullEntry(
    string NodeId,
    string Address,
    ushort Port,
    ulong Incarnation,
    SwimMemberState State,
    ReadOnlyMemory<byte> Meta)
{
    /// <summary>Member id (UTF-8, 1..128 bytes).</summary>
    public string NodeId { get; } = WireFields.NodeId(NodeId, nameof(NodeId));

    /// <summary>Its IPv4/IPv6 address text (≤ 64 bytes).</summary>
    public string Address { get; } = WireFields.Address(Address, nameof(Address));

    /// <summary>What the sender believes about it (a defined <see cref="SwimMemberState"/>).</summary>
    public SwimMemberState State { get; } = WireFields.State(State, nameof(State));

    /// <summary>Metadata (a private copy; ≤ 512 bytes).</summary>
    public ReadOnlyMemory<byte> Meta { get; } = WireFields.Meta(Meta, nameof(Meta));

    /// <summary>Value equality including the metadata bytes.</summary>
    public bool Equals(PushPullEntry? other) =>
        other is not null
        && NodeId == other.NodeId
        && Address == other.Address
        && Port == other.Port
        && Incarnation == other.Incarnation
        && State == other.State
        && Meta.Span.SequenceEqual(other.Meta.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NodeId, Address, Port, Incarnation, State, Meta.Length);
}

/// <summary>
/// Full-state sync, sent by the initiator (periodically to a random member, and on join) over TCP so
/// partitions heal. Not size-limited by the packet budget; the entries are copied on construction.
/// </summary>
public sealed record PushPullRequest(IReadOnlyList<PushPullEntry> Members) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.PushPullRequest;

    /// <summary>The sender's member table (a private copy).</summary>
    public IReadOnlyList<PushPullEntry> Members { get; } = PushPullMembers.Copy(Members, nameof(Members));

    /// <summary>Value equality over the member rows, in order.</summary>
    public bool Equals(PushPullRequest? other) => other is not null && Members.SequenceEqual(other.Members);

    /// <inheritdoc />
    public override int GetHashCode() => Members.Count;
}

/// <summary>The responder's member table in answer to a <see cref="PushPullRequest"/> (TCP).</summary>
public sealed record PushPullResponse(IReadOnlyList<PushPullEntry> Members) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.PushPullResponse;

    /// <summary>The responder's member table (a private copy).</summary>
    public IReadOnlyList<PushPullEntry> Members { get; } = PushPullMembers.Copy(Members, nameof(Members));

    /// <summary>Value equality over the member rows, in order.</summary>
    public bool Equals(PushPullResponse? other) => other is not null && Members.SequenceEqual(other.Members);

    /// <inheritdoc />
    public override int GetHashCode() => Members.Count;
}

internal static class PushPullMembers
{
    internal static IReadOnlyList<PushPullEntry> Copy(IReadOnlyList<PushPullEntry>? members, string field)
    {
        ArgumentNullException.ThrowIfNull(members, field);
        var copy = members.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
                throw new ArgumentException($"{field}[{i}] is null; every push-pull row must be a member.", field);
        }

        return Array.AsReadOnly(copy);
    }
}

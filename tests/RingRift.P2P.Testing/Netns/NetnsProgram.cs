namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// How to start the <c>ringrift-p2p</c> node program inside a host: the executable and the arguments that
/// come before the command (the entry assembly when <paramref name="File"/> is the <c>dotnet</c> host). The
/// test project or bench that starts nodes knows it (<c>ProgramLocation.Current()</c> in the node assembly);
/// this project does not reference the node.
/// </summary>
public sealed record NetnsProgram(string File, IReadOnlyList<string> Prefix);

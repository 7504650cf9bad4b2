using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Netns;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>The node program this test project was built with, for <see cref="NetnsNode.StartSwim"/>.</summary>
internal static class NodeProgram
{
    private static readonly ProgramCommand Command = ProgramLocation.Given(TestNodeProgram.Path);

    public static NetnsProgram Current { get; } = new(Command.File, Command.Prefix);
}

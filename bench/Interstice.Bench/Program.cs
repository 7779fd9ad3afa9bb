namespace Interstice.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: Interstice.Bench <suite>");
        return 2;
    }
}

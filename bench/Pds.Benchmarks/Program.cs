using BenchmarkDotNet.Running;
using Pds.Benchmarks;

// --compare: the quick side-by-side mode (see CompareMode); --profile: where the headline
// operations spend their time; anything else goes to BenchmarkDotNet (--filter, --job, ...).
if (args.Contains("--compare"))
{
    return await CompareMode.RunAsync(args);
}
if (args.Contains("--profile"))
{
    return await ProfileMode.RunAsync(args);
}
BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;

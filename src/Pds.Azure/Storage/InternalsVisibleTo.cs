using System.Runtime.CompilerServices;

// The pure builders and parsers (batch bodies, list XML) are tested directly.
[assembly: InternalsVisibleTo("Pds.Azure.Tests")]

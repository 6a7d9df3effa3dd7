using System.Runtime.CompilerServices;

// The Azure store tests plant rows the way a crashed or older writer would leave them, so they
// need the adapters' key layout.
[assembly: InternalsVisibleTo("Pds.Storage.Tests")]

/** JMH benchmarks: one class per subject; figures and the command that made them in docs/. */
package dev.pcikit.bench;

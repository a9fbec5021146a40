dnl kernel/: options for building and testing the Linux 6.1 series (owned by kernel/).

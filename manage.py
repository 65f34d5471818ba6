#!/usr/bin/env python
from ducha.cli import main

if __name__ == "__main__":
    main()

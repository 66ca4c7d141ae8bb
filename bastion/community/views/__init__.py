"""Pages of the community app: gatherings (酒宴), disinfection (消毒消杀), the unit summary."""
